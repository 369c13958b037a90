package warm.snapshot.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a sparse file holds data: ascending, non-overlapping regions inside {@code realSize}; everything else is a
 * hole. The tar path stores a sparse file as its regions' bytes only, with this map in a private {@code WARM.sparse}
 * PAX record ({@code offset,length,offset,length,…}): commons-compress writes no sparse maps, and reads GNU's with
 * an {@code int} real size, so GNU's own formats would not carry a 20 GiB file.
 */
record SparseMap(long realSize, List<Region> regions) {
  static final String PAX_MAP = "WARM.sparse.map";
  static final String PAX_REAL_SIZE = "WARM.sparse.realsize";

  /** One data region. */
  record Region(long offset, long length) {}

  SparseMap {
    regions = List.copyOf(regions);
  }

  /** Bytes of data (what the archive stores). */
  long dataBytes() {
    return regions.stream().mapToLong(Region::length).sum();
  }

  /** Whether storing the regions alone saves anything over the dense file. */
  boolean hasHoles() {
    return dataBytes() < realSize;
  }

  String encode() {
    StringBuilder b = new StringBuilder();
    for (Region r : regions) {
      b.append(b.length() == 0 ? "" : ",").append(r.offset()).append(',').append(r.length());
    }
    return b.toString();
  }

  /**
   * Parses and checks a map read from an archive: numbers, ascending and disjoint regions inside the real size,
   * whose lengths add up to the entry's stored size. A hostile map is refused, never followed.
   */
  static SparseMap parse(String realSize, String map, long storedSize, String entry) throws IOException {
    try {
      long real = Long.parseLong(realSize);
      List<Region> regions = new ArrayList<>();
      String[] parts = map.isEmpty() ? new String[0] : map.split(",", -1);
      if (real < 0 || parts.length % 2 != 0) {
        throw new NumberFormatException("odd map or negative size");
      }
      long end = 0;
      long sum = 0;
      for (int i = 0; i < parts.length; i += 2) {
        long off = Long.parseLong(parts[i]);
        long len = Long.parseLong(parts[i + 1]);
        if (off < end || len <= 0 || off > real - len) {
          throw new NumberFormatException("region " + off + "+" + len + " out of order or outside " + real);
        }
        end = off + len;
        sum += len;
        regions.add(new Region(off, len));
      }
      if (sum != storedSize) {
        throw new NumberFormatException("regions hold " + sum + " bytes, the entry " + storedSize);
      }
      return new SparseMap(real, regions);
    } catch (NumberFormatException e) {
      throw new SafePaths.UnsafeEntryException("bad sparse map for " + entry + ": " + e.getMessage());
    }
  }
}
