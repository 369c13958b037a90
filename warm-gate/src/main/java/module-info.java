/**
 * The upgrade gate: recipe versions, release notes, and whether an upgrade may be applied unattended.
 *
 * <p>Pure logic plus reading a recipe checkout (its {@code release/} notes and its git tags); depends on no other
 * warm module. Optionally also the upstream project's notes, from a directory or fetched over HTTP (java.net.http).
 * Entry point: {@link warm.gate.UpgradeGate}.
 */
module warm.gate {
  requires org.slf4j;
  requires org.semver4j;
  requires org.jsoup;
  requires com.fasterxml.jackson.databind;
  requires java.net.http;

  exports warm.gate;
}
