package io.tern.transport.tcp;

/**
 * The bytes of sends a client connection may have waiting for their receipts. A send that would go beyond
 * waits, in the application's thread, until receipts make room; a send larger than the whole window goes
 * when nothing else is waiting. So a producer that sends asynchronously into a broker that holds sends back
 * (flow control) is held back itself, and the broker never has to stop reading the connection for it, which
 * would also stop the acknowledgements and credit that may be what frees the broker's memory.
 *
 * <p>Thread-safe: sends take room on application threads; receipts give it back on the event loop.
 */
final class SendWindow {

    private final long size;
    private long waiting;

    SendWindow(long size) {
        this.size = size;
    }

    /**
     * Takes room for a send of {@code bytes}, waiting for it if {@code mayWait} (never on the event loop, which
     * is what brings the receipts).
     */
    synchronized void take(long bytes, boolean mayWait) {
        boolean interrupted = false;
        while (mayWait && waiting > 0 && waiting + bytes > size) {
            try {
                wait();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        waiting += bytes;
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** A send's receipt (or failure) came. */
    synchronized void give(long bytes) {
        waiting -= bytes;
        notifyAll();
    }
}
