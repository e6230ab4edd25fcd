package io.tern.protocol;

import java.io.IOException;

/**
 * Bytes that are not an encoded message of a format version this codec reads: truncated, corrupt, or
 * written by a newer version. The message says which and where.
 */
public class MalformedMessageException extends IOException {

    private static final long serialVersionUID = 1L;

    public MalformedMessageException(String message) {
        super(message);
    }
}
