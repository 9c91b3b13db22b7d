package au.edu.unimelb.reporting.ops.webfront;

/**
 * The outcome of a web-front switch.
 *
 * @param environment {@code qa} or {@code prod}
 * @param previous the address served before ({@code IP:PORT}), or {@code none}
 * @param current the address served now
 * @param changed {@code false} when the address was already the active one
 */
public record SwitchResult(String environment, String previous, String current, boolean changed) {
}
