package io.tern.journal;

/**
 * What a record does. The code is the byte stored in the frame; codes never change meaning.
 */
public enum RecordKind {
    ADD(1),
    UPDATE(2),
    DELETE(3),
    ADD_TX(4),
    UPDATE_TX(5),
    DELETE_TX(6),
    /** A transaction is prepared (two-phase commit); the payload is the layer above's transaction data. */
    PREPARE(7),
    COMMIT(8),
    ROLLBACK(9);

    private static final RecordKind[] BY_CODE = new RecordKind[10];

    static {
        for (RecordKind k : values()) {
            BY_CODE[k.code] = k;
        }
    }

    private final byte code;

    RecordKind(int code) {
        this.code = (byte) code;
    }

    /** The byte stored in the frame. */
    public byte code() {
        return code;
    }

    /** The kind with this code, or null when the byte is no kind's code. */
    static RecordKind fromCode(byte code) {
        return code > 0 && code < BY_CODE.length ? BY_CODE[code] : null;
    }

    /** True for ADD, UPDATE and DELETE and their transactional forms. */
    public boolean isOperation() {
        return this.compareTo(DELETE_TX) <= 0;
    }

    /** True for the kinds that carry a transaction ID. */
    public boolean isTransactional() {
        return this.compareTo(ADD_TX) >= 0;
    }

    /** True for PREPARE, COMMIT and ROLLBACK. */
    public boolean isTransactionControl() {
        return this.compareTo(PREPARE) >= 0;
    }

    /** True for the kinds whose frame carries a payload (ADD, UPDATE, their tx forms, PREPARE). */
    public boolean hasPayload() {
        return this == ADD || this == UPDATE || this == ADD_TX || this == UPDATE_TX || this == PREPARE;
    }

    /** ADD, UPDATE or DELETE for an operation of either form: what it does, with or without a transaction. */
    public RecordKind operation() {
        return switch (this) {
            case ADD, ADD_TX -> ADD;
            case UPDATE, UPDATE_TX -> UPDATE;
            case DELETE, DELETE_TX -> DELETE;
            default -> throw new IllegalStateException(this + " is not an operation");
        };
    }
}
