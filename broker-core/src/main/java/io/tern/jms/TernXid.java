package io.tern.jms;

import io.tern.store.GlobalTransactionId;

import javax.transaction.xa.Xid;
import java.util.Arrays;

/** An XA transaction ID as {@code XAResource.recover} reports it. Immutable. */
final class TernXid implements Xid {

    private final int formatId;
    private final byte[] globalTransactionId;
    private final byte[] branchQualifier;

    TernXid(GlobalTransactionId id) {
        this.formatId = id.formatId();
        this.globalTransactionId = id.globalTransactionId();
        this.branchQualifier = id.branchQualifier();
    }

    static GlobalTransactionId toGlobal(Xid xid) {
        return new GlobalTransactionId(xid.getFormatId(), xid.getGlobalTransactionId(), xid.getBranchQualifier());
    }

    @Override
    public int getFormatId() {
        return formatId;
    }

    @Override
    public byte[] getGlobalTransactionId() {
        return globalTransactionId.clone();
    }

    @Override
    public byte[] getBranchQualifier() {
        return branchQualifier.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Xid x && x.getFormatId() == formatId
                && Arrays.equals(x.getGlobalTransactionId(), globalTransactionId)
                && Arrays.equals(x.getBranchQualifier(), branchQualifier);
    }

    @Override
    public int hashCode() {
        return toGlobal(this).hashCode();
    }

    @Override
    public String toString() {
        return toGlobal(this).toString();
    }
}
