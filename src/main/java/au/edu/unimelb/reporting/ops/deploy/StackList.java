package au.edu.unimelb.reporting.ops.deploy;

import java.util.List;

import au.edu.unimelb.reporting.ops.heat.StackRef;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A list of stacks as a small JSON process variable ({@code [{"name":…,"id":…}]}); never
 * a serialized Java object.
 */
final class StackList {

	private static final ObjectMapper JSON = new ObjectMapper();

	private StackList() {
	}

	static String toJson(List<StackRef> stacks) {
		try {
			return JSON.writeValueAsString(stacks);
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException("Cannot write the stack list", ex);
		}
	}

	static List<StackRef> fromJson(String json) {
		if (json == null || json.isBlank()) {
			return List.of();
		}
		try {
			return JSON.readValue(json, new TypeReference<List<StackRef>>() {
			});
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException("The variable retiringStacks is not a stack list: " + json, ex);
		}
	}

}
