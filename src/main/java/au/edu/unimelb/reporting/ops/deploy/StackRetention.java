package au.edu.unimelb.reporting.ops.deploy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import au.edu.unimelb.reporting.ops.heat.StackNames;
import au.edu.unimelb.reporting.ops.heat.StackRef;
import au.edu.unimelb.reporting.ops.heat.StackState;
import au.edu.unimelb.reporting.ops.heat.StackStatus;

/**
 * Which stacks are a way back, and which to keep when a new one serves (safety rule 10).
 * A pure function: the environment's stacks as Heat lists them, the deployment records'
 * history of what served, and {@code keep-previous} in; a decision with its reason for
 * each stack out. Rollback and retirement share {@link #wayBack}: a stack we can go back
 * to is complete in Heat, served through the web front, and was never rolled back from.
 */
public final class StackRetention {

	private StackRetention() {
	}

	/**
	 * One time a stack began to serve, from the deployment records: a deploy that ended
	 * {@code DEPLOYED}, or a rollback that ended {@code ROLLED_BACK} (its stack is the
	 * target).
	 *
	 * @param stackName the stack that served from then on
	 * @param rollback whether a rollback switched to it (then the stack serving just
	 * before it was rolled back from)
	 * @param at when the run ended
	 */
	public record Served(String stackName, boolean rollback, Instant at) {
	}

	/**
	 * What happens to one stack, and why.
	 *
	 * @param ref the stack
	 * @param keep whether it stays
	 * @param reason why, in words an operator reads in the log
	 */
	public record Decision(StackRef ref, boolean keep, String reason) {
	}

	/** What the records say of each stack. */
	private record History(Map<String, Instant> lastServed, Set<String> rolledBackFrom) {

		static History of(List<Served> served) {
			List<Served> inOrder = served.stream().sorted(Comparator.comparing(Served::at)).toList();
			Map<String, Instant> lastServed = new HashMap<>();
			Set<String> rolledBackFrom = new HashSet<>();
			String serving = null;
			for (Served event : inOrder) {
				if (event.rollback() && serving != null && !serving.equals(event.stackName())) {
					rolledBackFrom.add(serving);
				}
				lastServed.put(event.stackName(), event.at());
				serving = event.stackName();
			}
			return new History(lastServed, rolledBackFrom);
		}

		/** Why the stack is no way back, or {@code null} when it is one. */
		String whyNot(StackState stack) {
			String name = stack.ref().name();
			if (!isComplete(stack.status())) {
				return "it is " + stack.status();
			}
			if (this.rolledBackFrom.contains(name)) {
				return "it was rolled back from";
			}
			if (!this.lastServed.containsKey(name)) {
				return "it never served";
			}
			return null;
		}

	}

	/**
	 * The stack to roll back to: of the ways back other than the serving stack, the one
	 * that served last.
	 * @param stacks the environment's stacks in Heat
	 * @param served the records' history of what served
	 * @param serving the stack the web front serves now
	 */
	public static Optional<StackRef> wayBack(List<StackState> stacks, List<Served> served, String serving) {
		History history = History.of(served);
		return stacks.stream()
			.filter((stack) -> !stack.ref().name().equals(serving))
			.filter((stack) -> history.whyNot(stack) == null)
			.max(Comparator.comparing((StackState stack) -> history.lastServed.get(stack.ref().name())))
			.map(StackState::ref);
	}

	/**
	 * Plans the retirement after {@code newStack} began to serve: the newest
	 * {@code keepPrevious} ways back (by when they last served) stay; stacks that never
	 * served, were rolled back from, failed, or are beyond that number go. Stacks this
	 * service cannot judge stay: the new one, any numbered above it, and a complete stack
	 * with no deployment record (made outside the service, or its record is lost) — it is
	 * never a rollback target either, and the reason says to look at it.
	 * @param stacks the environment's stacks in Heat (numbered with the prefix)
	 * @param served the records' history of what served (the new stack may be missing
	 * from it: its run has not ended yet)
	 * @param recorded every stack any deployment record names, whatever its outcome
	 * @param prefix the environment's stack prefix
	 * @param newStack the stack that serves now
	 * @param keepPrevious how many ways back to keep
	 * @return a decision for every stack in {@code stacks}
	 */
	public static List<Decision> plan(List<StackState> stacks, List<Served> served, Set<String> recorded, String prefix,
			String newStack, int keepPrevious) {
		History history = History.of(served);
		long newNumber = StackNames.numberOf(prefix, newStack).orElseThrow();
		List<StackState> waysBack = new ArrayList<>();
		List<Decision> decisions = new ArrayList<>();
		for (StackState stack : stacks) {
			String name = stack.ref().name();
			long number = StackNames.numberOf(prefix, name).orElse(Long.MAX_VALUE);
			String whyNot = history.whyNot(stack);
			if (name.equals(newStack)) {
				decisions.add(new Decision(stack.ref(), true, "it serves now"));
			}
			else if (number > newNumber) {
				decisions.add(new Decision(stack.ref(), true, "it is newer than the stack that serves now"));
			}
			else if (stack.status() == StackStatus.DELETE_IN_PROGRESS || stack.status() == StackStatus.GONE) {
				decisions.add(new Decision(stack.ref(), false, "it is being deleted already"));
			}
			else if (whyNot == null) {
				waysBack.add(stack);
			}
			else if (isComplete(stack.status()) && !recorded.contains(name) && !history.lastServed.containsKey(name)) {
				decisions.add(new Decision(stack.ref(), true, "no deployment record says it ever served (made outside "
						+ "the service, or its record is lost): kept, but never a rollback target; delete it by hand "
						+ "if nobody needs it"));
			}
			else {
				decisions.add(new Decision(stack.ref(), false, whyNot));
			}
		}
		waysBack
			.sort(Comparator.comparing((StackState stack) -> history.lastServed.get(stack.ref().name())).reversed());
		for (int i = 0; i < waysBack.size(); i++) {
			StackState stack = waysBack.get(i);
			decisions.add((i < keepPrevious)
					? new Decision(stack.ref(), true, "a way back (" + (i + 1) + " of " + keepPrevious + " kept)")
					: new Decision(stack.ref(), false, "a way back, but " + keepPrevious + " newer ones are kept"));
		}
		return decisions;
	}

	/** Complete in Heat: made (or updated) and not failed since. */
	static boolean isComplete(StackStatus status) {
		return status == StackStatus.CREATE_COMPLETE || status == StackStatus.UPDATE_COMPLETE;
	}

}
