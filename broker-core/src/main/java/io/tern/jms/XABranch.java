package io.tern.jms;

import java.util.ArrayList;
import java.util.List;

/**
 * One XA transaction branch as a connection sees it: the broker transaction its sessions' work goes
 * into, and the deliveries they consumed in it. Guarded by the connection's branch map.
 */
final class XABranch {

    final long transactionId;
    final List<Long> acknowledged = new ArrayList<>();
    /** Sessions working in it now (started or joined, not yet ended or suspended). */
    int associated;
    boolean rollbackOnly;

    XABranch(long transactionId) {
        this.transactionId = transactionId;
    }

    long[] acknowledgedArray() {
        long[] out = new long[acknowledged.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = acknowledged.get(i);
        }
        return out;
    }
}
