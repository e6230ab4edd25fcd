package io.tern.store;

import java.util.Arrays;
import java.util.HexFormat;

/**
 * The identity of a two-phase (XA) transaction, with value semantics so stores can key by it.
 * Arrays are copied in and never exposed for writing.
 */
public final class GlobalTransactionId {

    private final int formatId;
    private final byte[] globalTransactionId;
    private final byte[] branchQualifier;

    public GlobalTransactionId(int formatId, byte[] globalTransactionId, byte[] branchQualifier) {
        this.formatId = formatId;
        this.globalTransactionId = globalTransactionId.clone();
        this.branchQualifier = branchQualifier.clone();
    }

    public int formatId() {
        return formatId;
    }

    public byte[] globalTransactionId() {
        return globalTransactionId.clone();
    }

    public byte[] branchQualifier() {
        return branchQualifier.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof GlobalTransactionId other
                && formatId == other.formatId
                && Arrays.equals(globalTransactionId, other.globalTransactionId)
                && Arrays.equals(branchQualifier, other.branchQualifier);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * formatId + Arrays.hashCode(globalTransactionId)) + Arrays.hashCode(branchQualifier);
    }

    @Override
    public String toString() {
        HexFormat hex = HexFormat.of();
        return formatId + ":" + hex.formatHex(globalTransactionId) + ":" + hex.formatHex(branchQualifier);
    }
}
