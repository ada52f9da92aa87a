// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok;

import io.hamok.record.JsonRecordCodec;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class JsonRecordCodecTest {
    record Room(String name, Integer capacity, Boolean locked, List<String> members, int floor) {
    }

    /** A mutable POJO with getters and setters. */
    static final class Settings {
        private String theme;
        private Long limit;

        public String getTheme() {
            return theme;
        }

        public void setTheme(String theme) {
            this.theme = theme;
        }

        public Long getLimit() {
            return limit;
        }

        public void setLimit(Long limit) {
            this.limit = limit;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Settings s && Objects.equals(theme, s.theme) && Objects.equals(limit, s.limit);
        }

        @Override
        public int hashCode() {
            return Objects.hash(theme, limit);
        }
    }

    private final JsonRecordCodec<Room> codec = JsonRecordCodec.of(Room.class);

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    @Test
    void shouldEncodeEachNonNullPropertyAsItsJsonValue() {
        final Map<String, byte[]> properties = codec.encodeProperties(new Room("blue", null, false, List.of("a"), 0));

        assertEquals(List.of("name", "locked", "members", "floor"), List.copyOf(properties.keySet()));
        assertEquals("\"blue\"", text(properties.get("name")));
        assertEquals("false", text(properties.get("locked")));
        assertEquals("[\"a\"]", text(properties.get("members")));
        assertEquals("0", text(properties.get("floor")));
    }

    @Test
    void shouldRoundTripARecordAndDefaultMissingProperties() {
        final Room room = new Room("blue", 10, true, List.of("a", "b"), 3);

        assertEquals(room, codec.decode(codec.encodeProperties(room)));
        assertEquals(new Room(null, null, null, null, 0), codec.decode(Map.of()));
        assertEquals(new Room("x", null, null, null, 0),
                codec.decode(Map.of("name", codec.encodeValue("name", "x"), "unknown", "1".getBytes(StandardCharsets.UTF_8))));
    }

    @Test
    void shouldEncodeAValueAloneAsItIsEncodedInsideTheObject() {
        final Map<String, byte[]> properties = codec.encodeProperties(new Room("blue", 10, true, List.of("a"), 2));

        assertArrayEquals(properties.get("name"), codec.encodeValue("name", "blue"));
        assertArrayEquals(properties.get("capacity"), codec.encodeValue("capacity", 10));
        assertArrayEquals(properties.get("members"), codec.encodeValue("members", List.of("a")));
        assertArrayEquals(properties.get("floor"), codec.encodeValue("floor", 2));
    }

    @Test
    void shouldDecodeAValueAsThePropertysDeclaredType() {
        assertEquals(10, codec.decodeValue("capacity", "10".getBytes(StandardCharsets.UTF_8)));
        assertInstanceOf(Integer.class, codec.decodeValue("floor", "2".getBytes(StandardCharsets.UTF_8)));
        assertEquals(false, codec.decodeValue("locked", "false".getBytes(StandardCharsets.UTF_8)));
        assertEquals("", codec.decodeValue("name", "\"\"".getBytes(StandardCharsets.UTF_8)));
        assertEquals(List.of("a"), codec.decodeValue("members", "[\"a\"]".getBytes(StandardCharsets.UTF_8)));
        assertEquals(Map.of("x", 1), codec.decodeValue("unknown", "{\"x\":1}".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void shouldWorkWithAPojo() {
        final JsonRecordCodec<Settings> pojo = JsonRecordCodec.of(Settings.class);
        final Settings settings = new Settings();
        settings.setTheme("dark");

        final Map<String, byte[]> properties = pojo.encodeProperties(settings);

        assertEquals(List.of("theme"), List.copyOf(properties.keySet()));
        assertEquals(settings, pojo.decode(properties));
        assertInstanceOf(Long.class, pojo.decodeValue("limit", "5".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void shouldThrowIllegalArgumentNamingThePropertyWhenDecodingFails() {
        final IllegalArgumentException value = assertThrows(IllegalArgumentException.class,
                () -> codec.decodeValue("capacity", "\"many\"".getBytes(StandardCharsets.UTF_8)));
        assertTrue(value.getMessage().contains("'capacity'"), value.getMessage());

        final Map<String, byte[]> broken = new LinkedHashMap<>();
        broken.put("name", "{oops".getBytes(StandardCharsets.UTF_8));
        final IllegalArgumentException object = assertThrows(IllegalArgumentException.class,
                () -> codec.decode(broken));
        assertTrue(object.getMessage().contains("'name'"), object.getMessage());
    }

    @Test
    void shouldDeclareEachPropertyWithItsBoxedClass() {
        assertEquals(Map.of("name", String.class, "capacity", Integer.class, "locked", Boolean.class,
                "members", List.class, "floor", Integer.class), codec.propertyTypes());
        assertEquals(Map.of("theme", String.class, "limit", Long.class),
                JsonRecordCodec.of(Settings.class).propertyTypes());
    }

    /** Types that take any property name declare nothing, so that nothing is checked. */
    @Test
    @SuppressWarnings("rawtypes")
    void shouldDeclareNoPropertiesForAMapOrATypeWithoutProperties() {
        assertNull(JsonRecordCodec.of(Map.class).propertyTypes());
        assertNull(JsonRecordCodec.of(String.class).propertyTypes());
    }

    @Test
    void shouldBeEqualForTheSameTypeAndMapper() {
        assertEquals(codec, JsonRecordCodec.of(Room.class));
        assertEquals(codec.hashCode(), JsonRecordCodec.of(Room.class).hashCode());
        assertNotEquals(codec, JsonRecordCodec.of(Room.class, new ObjectMapper()));
        assertNotEquals(JsonRecordCodec.of(Settings.class), codec);
        assertEquals(JsonCodec.of(Room.class), JsonCodec.of(Room.class));
        assertNotEquals(JsonCodec.of(Room.class), JsonCodec.of(Settings.class));
        assertNotEquals(JsonCodec.of(Long.class), JsonCodec.of(Long.class, new ObjectMapper()));
    }

    @Test
    void shouldRefuseATypeThatIsNotAnObjectInJson() {
        final JsonRecordCodec<String> strings = JsonRecordCodec.of(String.class);

        assertThrows(IllegalArgumentException.class, () -> strings.encodeProperties("text"));
    }
}
