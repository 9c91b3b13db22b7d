package au.edu.unimelb.reporting.ops.deploy;

import java.time.Instant;
import java.util.List;
import java.util.stream.Collectors;

import au.edu.unimelb.reporting.ops.deploy.ReleaseApprovals.Approval;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A list of UAT approvals as small JSON text
 * ({@code [{"user":"tom","at":"2026-11-25T03:00:00Z","comment":"fine"}]}), as kept on a
 * deployment record and in the release's variable {@code uatApprovals}; never a
 * serialized Java object.
 */
public final class ApprovalList {

	private static final ObjectMapper JSON = new ObjectMapper();

	private ApprovalList() {
	}

	public static String toJson(List<Approval> approvals) {
		try {
			return JSON.writeValueAsString(approvals.stream()
				.map((approval) -> new Entry(approval.user(), (approval.at() != null) ? approval.at().toString() : null,
						approval.comment()))
				.toList());
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException("Cannot write the approval list", ex);
		}
	}

	public static List<Approval> fromJson(String json) {
		if (json == null || json.isBlank()) {
			return List.of();
		}
		try {
			return JSON.readValue(json, new TypeReference<List<Entry>>() {
			})
				.stream()
				.map((entry) -> new Approval(entry.user(), (entry.at() != null) ? Instant.parse(entry.at()) : null,
						entry.comment()))
				.toList();
		}
		catch (JsonProcessingException ex) {
			throw new IllegalStateException("Not an approval list: " + json, ex);
		}
	}

	/**
	 * @return who approved: their ids comma-separated, in order ({@code tom,tina})
	 */
	public static String users(List<Approval> approvals) {
		return approvals.stream().map(Approval::user).collect(Collectors.joining(","));
	}

	/**
	 * @return what they wrote: one approval's comment as it is; of several, each as
	 * {@code user: comment}, separated by {@code "; "} (empty ones left out)
	 */
	public static String comments(List<Approval> approvals) {
		if (approvals.size() == 1) {
			return approvals.get(0).comment();
		}
		return approvals.stream()
			.filter((approval) -> approval.comment() != null && !approval.comment().isEmpty())
			.map((approval) -> approval.user() + ": " + approval.comment())
			.collect(Collectors.joining("; "));
	}

	/** The JSON form of one approval: its time as ISO-8601 text. */
	private record Entry(String user, String at, String comment) {
	}

}
