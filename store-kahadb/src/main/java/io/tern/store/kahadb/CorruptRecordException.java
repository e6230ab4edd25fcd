package io.tern.store.kahadb;

/** A journal payload or index value that does not decode: written by another version, or damaged. */
final class CorruptRecordException extends RuntimeException {

    CorruptRecordException(String message) {
        super(message);
    }

    CorruptRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
