/**
 * The spine of cc-ci-warm: configuration, naming rules, the process runner, the {@code Platform} port with its
 * swarm and abra adapters, atomic state files, per-app locks, durable alerts and health probes.
 */
module warm.core {
  requires transitive com.fasterxml.jackson.databind;
  requires transitive org.slf4j;
  requires java.net.http;

  exports warm.core;
  exports warm.core.config;
  exports warm.core.naming;
  exports warm.core.process;
  exports warm.core.platform;
  exports warm.core.sample;
  exports warm.core.state;
  exports warm.core.lock;
  exports warm.core.alert;

  opens warm.core.config to com.fasterxml.jackson.databind;
  opens warm.core.platform to com.fasterxml.jackson.databind;
  opens warm.core.state to com.fasterxml.jackson.databind;
  opens warm.core.lock to com.fasterxml.jackson.databind;
  opens warm.core.alert to com.fasterxml.jackson.databind;
  exports warm.core.sso;
  opens warm.core.sso to com.fasterxml.jackson.databind;
}
