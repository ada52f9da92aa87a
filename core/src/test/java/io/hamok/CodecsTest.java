// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@Timeout(30)
class CodecsTest {
    @Test
    void shouldRoundTripStringsAsUtf8IncludingTheEmptyString() {
        assertArrayEquals("árvíztűrő ✓".getBytes(StandardCharsets.UTF_8), Codecs.string().encode("árvíztűrő ✓"));
        for (String s : new String[] {"", "a", "árvíztűrő ✓", "\u0000"}) {
            assertEquals(s, Codecs.string().decode(Codecs.string().encode(s)));
        }
        assertEquals(0, Codecs.string().encode("").length);
    }

    @Test
    void shouldEncodeIntegersAsFourBytesBigEndian() {
        assertArrayEquals(new byte[] {0x01, 0x02, 0x03, 0x04}, Codecs.integer().encode(0x01020304));
        assertArrayEquals(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFE}, Codecs.integer().encode(-2));
        for (int i : new int[] {0, 1, -1, Integer.MIN_VALUE, Integer.MAX_VALUE, 0x80}) {
            assertEquals(i, Codecs.integer().decode(Codecs.integer().encode(i)));
        }
    }

    @Test
    void shouldEncodeLongsAsEightBytesBigEndian() {
        assertArrayEquals(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}, Codecs.longs().encode(0x0102030405060708L));
        for (long l : new long[] {0, 1, -1, Long.MIN_VALUE, Long.MAX_VALUE, 0xFF00L}) {
            assertEquals(l, Codecs.longs().decode(Codecs.longs().encode(l)));
        }
    }

    @Test
    void shouldRejectNumbersOfTheWrongLength() {
        final IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Codecs.integer().decode(new byte[3]));
        assertTrue(e.getMessage().contains("4 bytes"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Codecs.longs().decode(new byte[4]));
    }

    @Test
    void shouldCopyBytesBothWays() {
        final byte[] value = {1, 2, 3};
        final byte[] encoded = Codecs.bytes().encode(value);
        final byte[] decoded = Codecs.bytes().decode(encoded);

        assertArrayEquals(value, encoded);
        assertArrayEquals(value, decoded);
        assertNotSame(value, encoded);
        assertNotSame(encoded, decoded);
        assertEquals(0, Codecs.bytes().decode(new byte[0]).length);
    }
}
