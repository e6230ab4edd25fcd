package io.tern.jms;

import io.tern.store.GlobalTransactionId;
import io.tern.transport.UnknownTransactionException;
import jakarta.jms.JMSException;

import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;
import java.util.List;
import java.util.Map;

/**
 * The XA resource of one XA session: associates the session with transaction branches (start, end,
 * join, suspend, resume) and drives the broker through one- and two-phase commit, rollback and recovery.
 * Prepared branches are kept by the broker (in its store), so any resource of the same broker can
 * commit, roll back or recover them, also after a restart.
 *
 * <p>Thread-safe: branch state is guarded by the connection's branch map.
 */
final class TernXAResource implements XAResource {

    private final TernXAConnection connection;
    private final TernXASession session;
    private GlobalTransactionId current;
    private int timeoutSeconds;

    TernXAResource(TernXAConnection connection, TernXASession session) {
        this.connection = connection;
        this.session = session;
    }

    @Override
    public void start(Xid xid, int flags) throws XAException {
        GlobalTransactionId id = global(xid);
        Map<GlobalTransactionId, XABranch> branches = connection.branches();
        synchronized (branches) {
            if (current != null) {
                throw error(XAException.XAER_PROTO, "the session is already associated with transaction " + current);
            }
            XABranch branch = branches.get(id);
            if ((flags & (TMJOIN | TMRESUME)) != 0) {
                if (branch == null) {
                    throw error(XAException.XAER_NOTA, "no transaction " + id + " to join or resume");
                }
            } else if (flags == TMNOFLAGS) {
                if (branch != null) {
                    throw error(XAException.XAER_DUPID, "transaction " + id + " was already started");
                }
                branch = new XABranch(connection.nextId());
                branches.put(id, branch);
            } else {
                throw error(XAException.XAER_INVAL, "start flags " + flags + " are not TMNOFLAGS, TMJOIN or TMRESUME");
            }
            branch.associated++;
            current = id;
            session.associate(branch.transactionId);
        }
    }

    @Override
    public void end(Xid xid, int flags) throws XAException {
        GlobalTransactionId id = global(xid);
        Map<GlobalTransactionId, XABranch> branches = connection.branches();
        synchronized (branches) {
            if (!id.equals(current)) {
                throw error(XAException.XAER_PROTO, "the session is not associated with transaction " + id);
            }
            XABranch branch = branches.get(id);
            for (long ack : session.dissociate()) {
                branch.acknowledged.add(ack);
            }
            branch.associated--;
            if ((flags & TMFAIL) != 0) {
                branch.rollbackOnly = true;
            }
            current = null;
        }
    }

    @Override
    public int prepare(Xid xid) throws XAException {
        GlobalTransactionId id = global(xid);
        XABranch branch = endedBranch(id);
        if (branch.rollbackOnly) {
            rollbackBranch(id, branch);
            throw error(XAException.XA_RBROLLBACK, "transaction " + id + " was marked rollback-only");
        }
        try {
            boolean hasWork = connection.broker().prepare(branch.transactionId, id, branch.acknowledgedArray());
            return hasWork ? XA_OK : XA_RDONLY;
        } catch (JMSException e) {
            throw error(XAException.XA_RBOTHER, "prepare of " + id + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void commit(Xid xid, boolean onePhase) throws XAException {
        GlobalTransactionId id = global(xid);
        if (onePhase) {
            XABranch branch = endedBranch(id);
            if (branch.rollbackOnly) {
                rollbackBranch(id, branch);
                throw error(XAException.XA_RBROLLBACK, "transaction " + id + " was marked rollback-only");
            }
            try {
                connection.broker().commit(branch.transactionId, branch.acknowledgedArray());
            } catch (JMSException e) {
                throw error(XAException.XA_RBOTHER, "one-phase commit of " + id + " failed: " + e.getMessage(), e);
            }
            return;
        }
        forgetLocal(id);
        try {
            connection.broker().commitPrepared(id);
        } catch (UnknownTransactionException e) {
            throw error(XAException.XAER_NOTA, e.getMessage(), e);
        } catch (JMSException e) {
            throw error(XAException.XAER_RMERR, "commit of " + id + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public void rollback(Xid xid) throws XAException {
        GlobalTransactionId id = global(xid);
        XABranch branch;
        Map<GlobalTransactionId, XABranch> branches = connection.branches();
        synchronized (branches) {
            branch = branches.get(id);
        }
        if (branch != null) {
            rollbackBranch(id, branch);
        }
        try {
            connection.broker().rollbackPrepared(id);
        } catch (UnknownTransactionException e) {
            if (branch == null) {
                throw error(XAException.XAER_NOTA, e.getMessage(), e);
            }
        } catch (JMSException e) {
            throw error(XAException.XAER_RMERR, "rollback of " + id + " failed: " + e.getMessage(), e);
        }
    }

    /** Rolls back the broker transaction of a branch that was not prepared, and forgets the branch. */
    private void rollbackBranch(GlobalTransactionId id, XABranch branch) throws XAException {
        forgetLocal(id);
        try {
            connection.broker().rollback(branch.transactionId, branch.acknowledgedArray());
        } catch (JMSException e) {
            throw error(XAException.XAER_RMERR, "rollback of " + id + " failed: " + e.getMessage(), e);
        }
    }

    private XABranch endedBranch(GlobalTransactionId id) throws XAException {
        Map<GlobalTransactionId, XABranch> branches = connection.branches();
        synchronized (branches) {
            XABranch branch = branches.get(id);
            if (branch == null) {
                throw error(XAException.XAER_NOTA, "no transaction " + id + " on this connection");
            }
            if (branch.associated > 0) {
                throw error(XAException.XAER_PROTO, "transaction " + id + " has not been ended by every session");
            }
            branches.remove(id);
            return branch;
        }
    }

    private void forgetLocal(GlobalTransactionId id) {
        Map<GlobalTransactionId, XABranch> branches = connection.branches();
        synchronized (branches) {
            branches.remove(id);
        }
    }

    @Override
    public Xid[] recover(int flag) throws XAException {
        if ((flag & ~(TMSTARTRSCAN | TMENDRSCAN)) != 0) {
            throw error(XAException.XAER_INVAL, "recover flags " + flag + " are not TMSTARTRSCAN/TMENDRSCAN/TMNOFLAGS");
        }
        if ((flag & TMSTARTRSCAN) == 0) {
            // The whole list is returned by the scan's first call.
            return new Xid[0];
        }
        try {
            List<GlobalTransactionId> prepared = connection.broker().recoverPrepared();
            Xid[] out = new Xid[prepared.size()];
            for (int i = 0; i < out.length; i++) {
                out[i] = new TernXid(prepared.get(i));
            }
            return out;
        } catch (JMSException e) {
            throw error(XAException.XAER_RMERR, "recover failed: " + e.getMessage(), e);
        }
    }

    /** Prepared transactions leave no heuristic outcome to forget. */
    @Override
    public void forget(Xid xid) throws XAException {
        throw error(XAException.XAER_NOTA, "no heuristically completed transaction " + global(xid));
    }

    @Override
    public boolean isSameRM(XAResource other) {
        return other instanceof TernXAResource o && o.brokerName().equals(brokerName());
    }

    private String brokerName() {
        return connection.broker().brokerName();
    }

    @Override
    public int getTransactionTimeout() {
        return timeoutSeconds;
    }

    /** The timeout is recorded; branches are not timed out by the broker in this version. */
    @Override
    public boolean setTransactionTimeout(int seconds) throws XAException {
        if (seconds < 0) {
            throw error(XAException.XAER_INVAL, "transaction timeout must not be negative, was " + seconds);
        }
        timeoutSeconds = seconds;
        return false;
    }

    private static GlobalTransactionId global(Xid xid) throws XAException {
        if (xid == null) {
            throw error(XAException.XAER_INVAL, "xid is null");
        }
        return TernXid.toGlobal(xid);
    }

    private static XAException error(int code, String message) {
        XAException e = new XAException(message);
        e.errorCode = code;
        return e;
    }

    private static XAException error(int code, String message, Throwable cause) {
        XAException e = error(code, message);
        e.initCause(cause);
        return e;
    }
}
