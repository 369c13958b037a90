package warm.snapshot.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;

/** A sparse entry read back as the whole file: its stored regions at their offsets, zeros in the holes. */
final class SparseInput extends InputStream {
  private final InputStream stored;
  private final SparseMap map;
  private long pos;
  private int region;

  SparseInput(InputStream stored, SparseMap map) {
    this.stored = stored;
    this.map = map;
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public int read(byte[] b, int off, int len) throws IOException {
    if (pos >= map.realSize()) {
      return -1;
    }
    if (len == 0) {
      return 0;
    }
    SparseMap.Region r = region < map.regions().size() ? map.regions().get(region) : null;
    if (r == null || pos < r.offset()) { // in a hole: zeros up to the next region or the end
      long holeEnd = r == null ? map.realSize() : r.offset();
      int n = (int) Math.min(len, holeEnd - pos);
      Arrays.fill(b, off, off + n, (byte) 0);
      pos += n;
      return n;
    }
    int n = stored.read(b, off, (int) Math.min(len, r.offset() + r.length() - pos));
    if (n < 0) {
      throw new IOException("archive ends inside a sparse region at " + pos);
    }
    pos += n;
    if (pos == r.offset() + r.length()) {
      region++;
    }
    return n;
  }
}
