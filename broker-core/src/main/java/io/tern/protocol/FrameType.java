package io.tern.protocol;

/**
 * The type byte that follows a frame's length. Codes 1 to 15 are the connection's own frames and the
 * broker's replies and deliveries; codes from 16 are the client's commands. See {@code docs/protocol.md}.
 */
public enum FrameType {
    HELLO(1),
    HEARTBEAT(2),
    ERROR(3),
    OK(4),
    DELIVERY(5),
    BROWSE_CHUNK(6),
    PREPARED(7),
    PREPARED_LIST(8),
    OUTCOME(9),
    SET_CLIENT_ID(16),
    SEND(17),
    CHECK_DESTINATION(18),
    ADD_CONSUMER(19),
    ADD_CREDIT(20),
    REMOVE_CONSUMER(21),
    ACKNOWLEDGE(22),
    RELEASE(23),
    COMMIT(24),
    ROLLBACK(25),
    BROWSE(26),
    CREATE_TEMPORARY(27),
    DELETE_TEMPORARY(28),
    UNSUBSCRIBE(29),
    CLOSE(30),
    PREPARE(31),
    COMMIT_PREPARED(32),
    ROLLBACK_PREPARED(33),
    RECOVER_PREPARED(34),
    COMMIT_RECORDED(35),
    TX_OUTCOME(36);

    private static final FrameType[] BY_CODE = new FrameType[256];

    static {
        for (FrameType t : values()) {
            BY_CODE[t.code] = t;
        }
    }

    private final int code;

    FrameType(int code) {
        this.code = code;
    }

    /** The byte on the wire. */
    public int code() {
        return code;
    }

    /** Whether a client sends it to a broker (a command) rather than a broker to a client. */
    public boolean isCommand() {
        return code >= 16;
    }

    /** The type with that code, or null for a code this version does not know. */
    public static FrameType of(int code) {
        return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }
}
