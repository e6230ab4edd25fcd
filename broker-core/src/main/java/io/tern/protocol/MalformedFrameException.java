package io.tern.protocol;

import java.io.IOException;

/**
 * Bytes that are not a frame of the tcp wire protocol: a bad length, an unknown frame type, a field
 * that runs past the end of its frame, bytes left over, an invalid string. The message says which.
 * The connection that carried such a frame cannot be trusted any further and is closed.
 */
public class MalformedFrameException extends IOException {

    private static final long serialVersionUID = 1L;

    public MalformedFrameException(String message) {
        super(message);
    }
}
