package au.edu.unimelb.reporting.ops.heat;

import java.util.List;
import java.util.Map;

/**
 * What to create: a stack from a template under {@code heat/}.
 *
 * @param name the new stack's name
 * @param template the template with its environment and files, as Heat receives them
 * @param parameters the template's visible parameters
 * @param tags tags to find the stack by (Heat lists by exact name only)
 * @param timeoutMinutes Heat's own deadline for the create
 */
public record StackRequest(String name, HeatTemplate template, Map<String, String> parameters, List<String> tags,
		long timeoutMinutes) {
}
