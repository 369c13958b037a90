package warm.core.platform;

/**
 * What {@code docker info} says about the engine and this node's Swarm.
 *
 * @param serverVersion the engine's version
 * @param swarmState {@code active}, {@code inactive}, …
 * @param nodeId this node's Swarm id, empty outside a Swarm
 * @param manager whether this node is a Swarm manager
 */
public record DockerEngine(String serverVersion, String swarmState, String nodeId, boolean manager) {}
