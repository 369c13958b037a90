/** The snapshot store: reflink (FICLONE) or tar copies of an app's volumes, atomic known-good swap, restore, verify. */
module warm.snapshot {
  requires org.slf4j;
}
