package warm.snapshot.internal;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each regular file's data lies in a volume's uncompressed tar ({@code <volume>.tar.idx} next to it), so a
 * delta restore reads single members by seeking instead of streaming the whole archive. Written with the archive,
 * inside the snapshot's temp directory, so it is as complete as the snapshot that holds it. Hard-link members point
 * at the data of the member that carries it.
 */
public final class TarIndex {
  private static final byte[] MAGIC = "WARM-TAR-INDEX-1\n".getBytes(StandardCharsets.US_ASCII);

  /** Data of one member: offset and stored length in the archive; for a sparse file its map and real size. */
  record Member(long offset, long stored, String sparseMap, long realSize) {}

  private final Path tar;
  private final Map<String, Member> members;

  private TarIndex(Path tar, Map<String, Member> members) {
    this.tar = tar;
    this.members = members;
  }

  /** The index file of {@code tar}. */
  public static Path fileOf(Path tar) {
    return tar.resolveSibling(tar.getFileName() + ".idx");
  }

  /**
   * Collects the members while the archive is written ({@link TarArchiver#write}): reading the finished archive back
   * costs a seek and reads per member, about 60 system calls each.
   */
  static final class Builder {
    /** Regular file members in archive order: a list while the archive is written, a map only in {@link #bytes}. */
    private final List<String> names = new ArrayList<>();
    private final List<Member> data = new ArrayList<>();
    private final Map<String, String> links = new HashMap<>();

    /** A regular file member {@code name} whose data starts at {@code offset} of the archive. */
    void file(String name, long offset, long stored, String sparseMap, long realSize) throws IOException {
      names.add(SafePaths.normalize(name));
      data.add(new Member(offset, stored, sparseMap, realSize));
    }

    /**
     * A regular file member, not sparse, whose name is {@code rel}, a path the archiver's walk made (already normal:
     * no empty, {@code .} or {@code ..} component).
     */
    void file(String rel, long offset, long size) {
      names.add(rel);
      data.add(new Member(offset, size, null, size));
    }

    /** A hard-link member {@code name} to the earlier member {@code target}. */
    void link(String name, String target) throws IOException {
      links.put(SafePaths.normalize(name), SafePaths.normalize(target));
    }

    /** Writes the index of {@code tar} durably (temp + fsync + rename). */
    void write(Path tar) throws IOException {
      TarIndex.write(tar, bytes());
    }

    /** The index file's contents. */
    byte[] bytes() throws IOException {
      Map<String, Member> all = new HashMap<>((names.size() + links.size()) * 2);
      for (int i = 0; i < names.size(); i++) {
        put(all, i);
      }
      Map<String, Member> linked = new HashMap<>(); // a link's target is a file member, never another link
      for (Map.Entry<String, String> link : links.entrySet()) {
        Member m = all.get(link.getValue());
        if (m != null) {
          linked.put(link.getKey(), m);
        }
      }
      all.putAll(linked);
      ByteArrayOutputStream buf = new ByteArrayOutputStream(64 * all.size() + 64);
      DataOutputStream out = new DataOutputStream(buf);
      out.write(MAGIC);
      out.writeInt(all.size());
      for (Map.Entry<String, Member> m : all.entrySet()) {
        entry(out, m.getKey(), m.getValue());
      }
      out.flush();
      return buf.toByteArray();
    }

    /*
     * One method call per member, not one loop body for all: C1 compiles a method after a few hundred calls, while a
     * loop run once is compiled only after 60 000 back edges (never, for 20k members) — the index's encoding ran
     * interpreted for over half of its thread's samples.
     */
    private void put(Map<String, Member> all, int i) {
      all.put(names.get(i), data.get(i));
    }

    private static void entry(DataOutputStream out, String name, Member m) throws IOException {
      out.writeUTF(name);
      out.writeLong(m.offset());
      out.writeLong(m.stored());
      out.writeLong(m.realSize());
      out.writeUTF(m.sparseMap() == null ? "" : m.sparseMap());
    }
  }

  /** Writes {@link Builder#bytes} as the index of {@code tar}, durably (temp + fsync + rename + fsync of its dir). */
  static void write(Path tar, byte[] index) throws IOException {
    Durable.write(fileOf(tar), index);
  }

  /** The index of {@code tar}; IOException when there is none (a snapshot taken before indexes existed). */
  public static TarIndex read(Path tar) throws IOException {
    try (DataInputStream in = new DataInputStream(Files.newInputStream(fileOf(tar)))) {
      if (!Arrays.equals(in.readNBytes(MAGIC.length), MAGIC)) {
        throw new IOException("not a tar index: " + fileOf(tar));
      }
      int n = in.readInt();
      Map<String, Member> m = new HashMap<>(n * 2);
      for (int i = 0; i < n; i++) {
        String rel = in.readUTF();
        long off = in.readLong();
        long stored = in.readLong();
        long real = in.readLong();
        String map = in.readUTF();
        m.put(rel, new Member(off, stored, map.isEmpty() ? null : map, real));
      }
      return new TarIndex(tar, m);
    }
  }

  /** Every member by its normalised path (tests compare indexes). */
  Map<String, Member> members() {
    return members;
  }

  /** Bytes member {@code rel} stores (holes of a sparse file excluded); 0 when the index does not hold it. */
  long storedBytes(String rel) {
    Member m = members.get(rel);
    return m == null ? 0 : m.stored();
  }

  /**
   * Creates {@code dst} (must not exist; never through a symlink) holding the data of member {@code rel}; holes of a
   * sparse member stay holes.
   */
  void extractTo(String rel, Path dst) throws IOException {
    Member m = members.get(rel);
    if (m == null) {
      throw new IOException("tar index of " + tar.getFileName() + " has no file " + rel);
    }
    try (FileChannel in = FileChannel.open(tar, StandardOpenOption.READ);
        FileChannel out = FileChannel.open(dst, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE,
            LinkOption.NOFOLLOW_LINKS)) {
      if (m.sparseMap() == null) {
        transfer(in, m.offset(), m.stored(), out, 0);
      } else {
        long pos = m.offset();
        for (SparseMap.Region r : SparseMap.parse(Long.toString(m.realSize()), m.sparseMap(), m.stored(), rel)
            .regions()) {
          transfer(in, pos, r.length(), out, r.offset());
          pos += r.length();
        }
      }
    }
    if (m.sparseMap() != null) {
      try (RandomAccessFile f = new RandomAccessFile(dst.toFile(), "rw")) {
        f.setLength(m.realSize()); // ftruncate: the tail past the last region is a hole
      }
    }
  }

  private static void transfer(FileChannel in, long from, long length, FileChannel out, long at) throws IOException {
    out.position(at);
    long done = 0;
    while (done < length) {
      long n = in.transferTo(from + done, length - done, out);
      if (n <= 0) {
        throw new IOException("archive ends inside a member");
      }
      done += n;
    }
  }
}
