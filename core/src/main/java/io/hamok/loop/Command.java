// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.loop;

import io.hamok.HamokException;

/** Work a user thread hands to the loop through its command queue. */
abstract class Command {
    /** Runs on the loop thread. */
    abstract void execute(RaftLoop loop);

    /** The command will not run (or failed); called on whichever thread found that out. Returns true. */
    abstract boolean fail(HamokException e);
}
