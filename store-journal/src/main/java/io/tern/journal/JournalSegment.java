package io.tern.journal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

/**
 * One segment file: {@code journal-<id>.log}, a 32-byte header followed by record frames, preallocated
 * to its capacity with zeros.
 *
 * <pre>
 * offset size field
 *      0    8 magic "TERNJRNL"
 *      8    2 format version: 1
 *     10    2 header size: 32
 *     12    4 capacity: the size the file was preallocated to
 *     16    8 segment ID (also in the file name)
 *     24    4 reserved: 0
 *     28    4 CRC32C of bytes 0 .. 27
 * </pre>
 *
 * <p><b>Why preallocated.</b> Records then overwrite blocks that already belong to the file, so the file
 * size never changes while records are appended and a data-only force ({@code fdatasync}) makes them
 * durable without a metadata journal commit; and a crash leaves a zero-filled tail, which no frame can
 * be mistaken for. A segment is created complete under a temporary name and renamed into place, so a
 * file with the final name always has its header and its full size.
 *
 * <p><b>Threads.</b> The write channel is used by the journal's writer thread only (and by recovery
 * before it starts). Reads go through a separate channel shared by reader threads with positional reads;
 * it is reopened if a reader's interrupt closed it, so one interrupted reader never breaks the writer
 * or other readers.
 */
final class JournalSegment {

    private static final Logger LOG = LoggerFactory.getLogger(JournalSegment.class);

    static final int HEADER_SIZE = 32;
    static final long MAGIC = 0x5445524E4A524E4CL; // "TERNJRNL"
    static final short FORMAT_VERSION = 1;
    static final String TEMPORARY_SUFFIX = ".tmp";
    private static final Pattern NAME = Pattern.compile("journal-(\\d{1,19})\\.log");
    private static final ByteBuffer ZEROS = ByteBuffer.allocateDirect(1024 * 1024).asReadOnlyBuffer();

    private final long id;
    private final Path file;
    private final int capacity;
    private final String headerProblem;
    private final Object readChannelLock = new Object();
    private FileChannel writeChannel;
    private volatile FileChannel readChannel;
    private volatile boolean deleted;

    private JournalSegment(long id, Path file, int capacity, String headerProblem) {
        this.id = id;
        this.file = file;
        this.capacity = capacity;
        this.headerProblem = headerProblem;
    }

    static String fileName(long id) {
        return String.format("journal-%010d.log", id);
    }

    /** The segment ID in a segment file's name, or -1 when the name is not a segment's. */
    static long idOf(Path file) {
        Matcher m = NAME.matcher(file.getFileName().toString());
        if (!m.matches()) {
            return -1;
        }
        try {
            return Long.parseLong(m.group(1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    /**
     * Creates a segment file: header, zeros to {@code capacity}, forced, renamed into place, and the
     * directory forced so the new name survives a crash.
     */
    static JournalSegment create(Path directory, long id, int capacity) throws IOException {
        Path file = directory.resolve(fileName(id));
        Path temporary = directory.resolve(fileName(id) + TEMPORARY_SUFFIX);
        try (FileChannel ch = FileChannel.open(temporary, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.WRITE)) {
            writeFully(ch, header(id, capacity), 0);
            zero(ch, HEADER_SIZE, capacity);
            ch.force(true);
        }
        Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
        forceDirectory(directory);
        return new JournalSegment(id, file, capacity, null);
    }

    /** Opens an existing segment file and checks its header; a bad header is noted, not thrown. */
    static JournalSegment open(Path file, long id) throws IOException {
        long size = Files.size(file);
        ByteBuffer header = ByteBuffer.allocate(HEADER_SIZE);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            while (header.hasRemaining() && ch.read(header, header.position()) >= 0) {
                // positional reads until full or end of file
            }
        }
        String problem = checkHeader(header, id, size);
        int capacity = problem == null ? header.getInt(12) : (int) Math.min(size, JournalConfig.MAX_FILE_SIZE);
        return new JournalSegment(id, file, capacity, problem);
    }

    private static ByteBuffer header(long id, int capacity) {
        ByteBuffer b = ByteBuffer.allocate(HEADER_SIZE);
        b.putLong(0, MAGIC).putShort(8, FORMAT_VERSION).putShort(10, (short) HEADER_SIZE)
                .putInt(12, capacity).putLong(16, id).putInt(24, 0);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, 28);
        b.putInt(28, (int) crc.getValue());
        return b;
    }

    private static String checkHeader(ByteBuffer b, long id, long size) {
        if (b.hasRemaining()) {
            return "segment header cut short (" + size + " bytes in the file)";
        }
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 0, 28);
        if (b.getLong(0) != MAGIC || b.getShort(10) != HEADER_SIZE || b.getInt(28) != (int) crc.getValue()) {
            return "bad segment header";
        }
        if (b.getShort(8) != FORMAT_VERSION) {
            return "segment format version " + b.getShort(8) + " is not supported (expected " + FORMAT_VERSION + ")";
        }
        if (b.getLong(16) != id) {
            return "segment header names segment " + b.getLong(16) + " but the file name says " + id;
        }
        int capacity = b.getInt(12);
        if (capacity < HEADER_SIZE || capacity > JournalConfig.MAX_FILE_SIZE) {
            return "segment capacity " + capacity + " out of range";
        }
        return null;
    }

    long id() {
        return id;
    }

    Path file() {
        return file;
    }

    /** The size the segment was preallocated to: no frame may end beyond it. */
    int capacity() {
        return capacity;
    }

    /** Null when the header is valid; otherwise what is wrong with it. */
    String headerProblem() {
        return headerProblem;
    }

    long length() throws IOException {
        return Files.size(file);
    }

    JournalPosition position(int offset) {
        return new JournalPosition(id, offset);
    }

    /**
     * Reads into {@code dst} from {@code offset} until it is full or the file ends.
     *
     * @return the number of bytes read
     */
    int read(ByteBuffer dst, long offset) throws IOException {
        int total = 0;
        for (int attempt = 0; ; attempt++) {
            FileChannel ch = readChannel();
            try {
                while (dst.hasRemaining()) {
                    int n = ch.read(dst, offset + total);
                    if (n < 0) {
                        break;
                    }
                    total += n;
                }
                return total;
            } catch (ClosedChannelException e) {
                if (deleted) {
                    throw new NoSuchFileException(file.toString(), null, "segment " + id + " was deleted");
                }
                if (attempt > 0 || Thread.currentThread().isInterrupted()) {
                    throw e;
                }
                // another reader was interrupted and closed the shared channel: reopen once
            }
        }
    }

    private FileChannel readChannel() throws IOException {
        FileChannel ch = readChannel;
        if (ch != null && ch.isOpen()) {
            return ch;
        }
        synchronized (readChannelLock) {
            if (deleted) {
                throw new NoSuchFileException(file.toString(), null, "segment " + id + " was deleted");
            }
            ch = readChannel;
            if (ch == null || !ch.isOpen()) {
                ch = FileChannel.open(file, StandardOpenOption.READ);
                readChannel = ch;
            }
            return ch;
        }
    }

    /** Writes all of {@code src} at {@code offset}. Writer thread only. */
    void write(ByteBuffer src, long offset) throws IOException {
        writeFully(writeChannel(), src, offset);
    }

    /** Forces written records to disk; the file size does not change, so data only. Writer thread only. */
    void force() throws IOException {
        writeChannel().force(false);
    }

    /** Overwrites {@code [from, to)} with zeros and forces them. Writer thread or recovery only. */
    void zero(long from, long to) throws IOException {
        FileChannel ch = writeChannel();
        zero(ch, from, to);
        ch.force(false);
    }

    private FileChannel writeChannel() throws IOException {
        if (writeChannel == null) {
            writeChannel = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
        }
        return writeChannel;
    }

    /** Closes the write channel once the segment is complete; reads go on. */
    void closeWriteChannel() throws IOException {
        if (writeChannel != null) {
            writeChannel.close();
            writeChannel = null;
        }
    }

    void close() throws IOException {
        closeWriteChannel();
        synchronized (readChannelLock) {
            if (readChannel != null) {
                readChannel.close();
                readChannel = null;
            }
        }
    }

    /** Closes and deletes the file. */
    void delete() throws IOException {
        synchronized (readChannelLock) {
            deleted = true;
        }
        close();
        Files.deleteIfExists(file);
    }

    private static void writeFully(FileChannel ch, ByteBuffer src, long offset) throws IOException {
        long at = offset;
        while (src.hasRemaining()) {
            at += ch.write(src, at);
        }
    }

    private static void zero(FileChannel ch, long from, long to) throws IOException {
        long at = from;
        while (at < to) {
            ByteBuffer zeros = ZEROS.duplicate();
            zeros.limit((int) Math.min(zeros.capacity(), to - at));
            writeFully(ch, zeros, at);
            at += zeros.limit();
        }
    }

    /** Forces a directory so that names created or removed in it survive a crash (where the OS allows it). */
    static void forceDirectory(Path directory) {
        try (FileChannel dir = FileChannel.open(directory, StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            // Some platforms (Windows) cannot open a directory as a channel; renames there are durable enough.
            LOG.debug("Cannot force directory {}: {}", directory, e.toString());
        }
    }

    @Override
    public String toString() {
        return file.toString();
    }
}
