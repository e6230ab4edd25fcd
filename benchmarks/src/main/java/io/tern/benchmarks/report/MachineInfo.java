package io.tern.benchmarks.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;

/**
 * The machine a run was made on, as the report states it: results mean little without it.
 *
 * @param date        when the run finished, UTC
 * @param cores       processors available to the JVM (what {@code nproc} prints)
 * @param cpuModel    the CPU's model name, as {@code lscpu} shows it
 * @param memory      total memory
 * @param os          operating system and kernel
 * @param java        the JVM running the children
 * @param fileSystem  file system type of the directory the brokers wrote to
 */
public record MachineInfo(String date, int cores, String cpuModel, String memory, String os, String java,
                          String fileSystem) {

    public static MachineInfo detect(Path workDirectory) {
        return new MachineInfo(
                ZonedDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'")),
                Runtime.getRuntime().availableProcessors(),
                procField("/proc/cpuinfo", "model name"),
                totalMemory(),
                System.getProperty("os.name") + " " + System.getProperty("os.version"),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"),
                fileSystem(workDirectory));
    }

    /**
     * The 1-, 5- and 15-minute load averages, as {@code uptime} shows them. Other work on the machine
     * during a run shows here, and explains noisy figures.
     */
    public static String loadAverage() {
        try {
            String[] fields = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
            return fields[0] + ", " + fields[1] + ", " + fields[2];
        } catch (IOException | RuntimeException e) {
            return "unknown";
        }
    }

    private static String procField(String file, String field) {
        try {
            List<String> lines = Files.readAllLines(Path.of(file));
            for (String line : lines) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equals(field)) {
                    return line.substring(colon + 1).trim();
                }
            }
        } catch (IOException | RuntimeException e) {
            // Not Linux, or not readable: the report says "unknown".
        }
        return "unknown";
    }

    private static String totalMemory() {
        String total = procField("/proc/meminfo", "MemTotal");
        if (total.endsWith(" kB")) {
            long kib = Long.parseLong(total.substring(0, total.length() - 3).trim());
            return String.format("%.1f GiB", kib / (1024.0 * 1024.0));
        }
        return total;
    }

    private static String fileSystem(Path directory) {
        try {
            return Files.getFileStore(directory).type();
        } catch (IOException e) {
            return "unknown";
        }
    }
}
