package au.edu.unimelb.reporting.ops.heat;

import java.util.List;
import java.util.Map;

/**
 * What Heat says of a stack at one moment.
 *
 * @param ref the stack
 * @param status its status
 * @param reason Heat's {@code stack_status_reason} (why it failed), or empty
 * @param outputs its outputs as text ({@code instance_ip -> 10.0.0.42}); empty until it
 * is complete
 * @param tags its tags
 */
public record StackState(StackRef ref, StackStatus status, String reason, Map<String, String> outputs,
		List<String> tags) {

	/**
	 * @param key an output key
	 * @return the output's value, or {@code null} when the stack has no such output
	 */
	public String output(String key) {
		return this.outputs.get(key);
	}

}
