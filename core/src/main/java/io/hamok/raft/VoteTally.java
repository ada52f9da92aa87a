// SPDX-License-Identifier: Apache-2.0
// Copyright 2026 the Hamok for Java authors (see NOTICE)
package io.hamok.raft;

import java.util.Arrays;
import java.util.List;

/** Votes of the current (pre-)election among the voters of the configuration it started with. */
final class VoteTally {
    private Membership membership = Membership.of(List.of(), List.of());
    private boolean[] granted = new boolean[8];

    void reset(Membership m) {
        membership = m;
        if (granted.length < m.voterCount()) {
            granted = new boolean[m.voterCount()];
        }
        Arrays.fill(granted, false);
    }

    void record(String voter, boolean grant) {
        for (int i = 0; i < membership.voterCount(); i++) {
            if (membership.voter(i).equals(voter)) {
                granted[i] = grant;
                return;
            }
        }
    }

    boolean won() {
        int count = 0;
        for (int i = 0; i < membership.voterCount(); i++) {
            if (granted[i]) {
                count++;
            }
        }
        return membership.voterCount() > 0 && count >= membership.quorum();
    }
}
