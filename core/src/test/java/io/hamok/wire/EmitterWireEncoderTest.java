// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.wire;

import com.google.protobuf.ByteString;
import io.hamok.wire.proto.HamokMessage;
import io.hamok.wire.proto.MessageType;
import io.hamok.wire.proto.StorageKind;
import org.agrona.ExpandableArrayBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The emitter's direct messages are byte for byte what the generated classes write, and read back in place. */
@Timeout(10)
class EmitterWireEncoderTest {
    private static final int KIND = StorageKind.STORAGE_KIND_EMITTER_VALUE;

    @Test
    void shouldWritePublishAndNotifyAsTheGeneratedClassesDo() {
        for (boolean answered : new boolean[] {true, false}) {
            for (byte[] payload : new byte[][] {new byte[0], "payload".getBytes(StandardCharsets.UTF_8), new byte[300]}) {
                final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(8);
                final int length = EmitterWireEncoder.encodeDelivery(buffer, 3, answered, 1L << 50, utf8("emitter"),
                        utf8("event"), payload, KIND);
                final byte[] expected = HamokMessage.newBuilder()
                        .setType(answered ? MessageType.UPDATE_ENTRIES_REQUEST : MessageType.UPDATE_ENTRIES_NOTIFICATION)
                        .setRequestId(1L << 50).setStorageId("emitter").addKeys(ByteString.copyFrom(utf8("event")))
                        .addValues(ByteString.copyFrom(payload)).setStorageKindValue(KIND).build().toByteArray();
                assertArrayEquals(expected, Arrays.copyOfRange(buffer.byteArray(), 3, 3 + length));

                final GridWireReader reader = new GridWireReader();
                assertEquals(GridWireReader.OK, reader.wrap(buffer, 3, length));
                assertEquals(KIND, reader.storageKind());
                assertEquals(1, reader.keyCount());
                assertEquals(payload.length, reader.valueLength(0));
            }
        }
    }

    @Test
    void shouldWriteTheAnswerAsTheGeneratedClassesDo() {
        for (boolean delivered : new boolean[] {true, false}) {
            final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(8);
            final int length = EmitterWireEncoder.encodeAnswer(buffer, 0, 42, delivered, KIND);
            final HamokMessage expected = HamokMessage.newBuilder().setType(MessageType.UPDATE_ENTRIES_RESPONSE)
                    .setRequestId(42).setSuccess(delivered).setStorageKindValue(KIND).build();
            assertArrayEquals(expected.toByteArray(), Arrays.copyOf(buffer.byteArray(), length));
            final GridWireReader reader = new GridWireReader();
            assertEquals(GridWireReader.OK, reader.wrap(buffer, 0, length));
            assertEquals(delivered, reader.success());
            assertTrue(reader.requestId() == 42);
        }
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
