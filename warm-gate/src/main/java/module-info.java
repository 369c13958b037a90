/** The upgrade gate: recipe versions, release notes, and whether an upgrade may be applied unattended. */
module warm.gate {
  requires org.slf4j;
}
