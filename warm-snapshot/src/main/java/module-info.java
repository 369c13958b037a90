/** The snapshot store: reflink (FICLONE) or tar copies of an app's volumes, atomic known-good swap, restore, verify. */
module warm.snapshot {
  requires org.slf4j;
  requires com.sun.jna;
  requires org.apache.commons.compress;
  requires com.fasterxml.jackson.core; // meta.json is written with its streaming generator (MetaJson)
  requires com.fasterxml.jackson.databind;

  exports warm.snapshot;
  // Only the composers that may write a known-good (I1) can name the authority to do so.
  exports warm.snapshot.authority to warm.nightly;

  // meta.json / manifest records are bound by Jackson.
  opens warm.snapshot to com.fasterxml.jackson.databind;
}
