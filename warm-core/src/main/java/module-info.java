/**
 * The spine of cc-ci-warm: configuration, naming rules, the process runner, the {@code Platform} port with its
 * swarm and abra adapters, atomic state files, per-app locks, durable alerts and health probes.
 *
 * <p>Only the sibling modules that compose it build on it, so every package is exported to them alone; the demo's
 * fixtures ({@code warm.core.sample}) only to the operator CLI that runs the demo and selftest. Jackson is an
 * implementation detail: no exported signature carries a Jackson type, so it is not required transitively.
 */
module warm.core {
  requires com.fasterxml.jackson.databind;
  requires transitive org.slf4j;
  requires java.net.http;

  exports warm.core to warm.quick, warm.nightly;
  exports warm.core.alert to warm.quick, warm.nightly;
  exports warm.core.config to warm.quick, warm.nightly;
  exports warm.core.fs to warm.nightly;
  exports warm.core.lock to warm.quick, warm.nightly;
  exports warm.core.naming to warm.quick, warm.nightly;
  exports warm.core.platform to warm.quick, warm.nightly;
  exports warm.core.process to warm.quick, warm.nightly;
  exports warm.core.recovery to warm.quick, warm.nightly;
  exports warm.core.sso to warm.quick, warm.nightly;
  exports warm.core.state to warm.quick, warm.nightly;
  exports warm.core.sample to warm.nightly;

  // Records and state files bound by Jackson.
  opens warm.core.alert to com.fasterxml.jackson.databind;
  opens warm.core.config to com.fasterxml.jackson.databind;
  opens warm.core.lock to com.fasterxml.jackson.databind;
  opens warm.core.platform to com.fasterxml.jackson.databind;
  opens warm.core.sso to com.fasterxml.jackson.databind;
  opens warm.core.state to com.fasterxml.jackson.databind;
}
