package io.tern.benchmarks.broker;

/**
 * Thrown by {@link BrokerTarget#start} when the target cannot run on this machine, which some targets
 * learn only inside the child JVM (whether the file system accepts O_DIRECT, say). The run reports the
 * target as skipped, with this message, rather than as failed.
 */
public final class TargetUnavailableException extends Exception {

    public TargetUnavailableException(String reason) {
        super(reason);
    }
}
