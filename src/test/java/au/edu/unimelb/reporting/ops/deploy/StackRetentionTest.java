package au.edu.unimelb.reporting.ops.deploy;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

import au.edu.unimelb.reporting.ops.deploy.StackRetention.Decision;
import au.edu.unimelb.reporting.ops.deploy.StackRetention.Served;
import au.edu.unimelb.reporting.ops.heat.StackRef;
import au.edu.unimelb.reporting.ops.heat.StackState;
import au.edu.unimelb.reporting.ops.heat.StackStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Safety rule 10 as tables of histories. A history is what served, in order: {@code D5} =
 * a deploy of stack 5 ended DEPLOYED, {@code R5} = a rollback to stack 5 ended
 * ROLLED_BACK, {@code F5} = a deploy of stack 5 that never served (its record names the
 * stack). Stacks are {@code number:status} with {@code ok} = CREATE_COMPLETE, {@code up}
 * = UPDATE_COMPLETE, {@code failed} = CREATE_FAILED, {@code deleting} =
 * DELETE_IN_PROGRESS.
 */
class StackRetentionTest {

	static final String PREFIX = "reporting_qa_";

	@ParameterizedTest(name = "[{index}] {0}: stacks {1}, history {2}, new {3}, keep {4}")
	@CsvSource(delimiter = '|', value = {
			// case | stacks in Heat | history | new stack | keep-previous | kept |
			// retired
			"plain: the newest served ones stay | 1:ok 2:ok 3:ok 4:ok | D1 D2 D3 | 4 | 2 | 2 3 4 | 1",
			"5/6/5/7: the bad build goes, the good one stays | 5:ok 6:ok 7:ok | D5 D6 R5 | 7 | 1 | 5 7 | 6",
			"5/6/5/7 with room for two: still never the bad one | 5:ok 6:ok 7:ok | D5 D6 R5 | 7 | 2 | 5 7 | 6",
			"a failed stack goes, whatever its number | 3:failed 4:ok 5:ok | D4 F3 | 5 | 2 | 4 5 | 3",
			"a complete stack that never served goes | 2:ok 3:ok 4:ok | D2 F3 | 4 | 2 | 2 4 | 3",
			"UPDATE_COMPLETE is as good as CREATE_COMPLETE | 1:up 2:ok | D1 | 2 | 1 | 1 2 | -",
			"made outside the service: kept, flagged | 1:ok 2:ok 3:ok | D1 | 3 | 1 | 1 2 3 | -",
			"made outside and failed: goes | 1:ok 2:failed 3:ok | D1 | 3 | 1 | 1 3 | 2",
			"record lost for the previous one | 8:ok 9:ok | - | 9 | 1 | 8 9 | -",
			"newer than the new stack: not ours to judge | 4:ok 5:ok 6:ok | D4 | 5 | 0 | 5 6 | 4",
			"being deleted: left to finish | 1:deleting 2:ok 3:ok | D1 D2 | 3 | 1 | 2 3 | 1",
			"keep none | 1:ok 2:ok | D1 | 2 | 0 | 2 | 1",
			"rolled back twice: both bad ones go | 1:ok 2:ok 3:ok 4:ok | D1 D2 D3 R2 R1 | 4 | 2 | 1 4 | 2 3",
			"rolled back to, then deployed over: the rollback target stays | 1:ok 2:ok 3:ok | D1 D2 R1 | 3 | 1 | 1 3 | 2" })
	void plansRetirementFromTheHistory(String title, String stacks, String history, String newStack, int keep,
			String kept, String retired) {
		List<Decision> plan = StackRetention.plan(stacks(stacks), served(history), recorded(history), PREFIX,
				PREFIX + newStack, keep);
		assertThat(numbers(plan, true)).as("kept").isEqualTo(kept);
		assertThat(numbers(plan, false)).as("retired").isEqualTo(retired);
		assertThat(plan).as("a decision per stack").hasSize(stacks.split(" ").length);
		assertThat(plan).allSatisfy((decision) -> assertThat(decision.reason()).isNotBlank());
	}

	@ParameterizedTest(name = "[{index}] {0}")
	@CsvSource(delimiter = '|', value = {
			// case | stacks in Heat | history | serving | way back
			"the previous one | 1:ok 2:ok | D1 D2 | 2 | 1",
			"5/6/5/7: back to 5, never to the bad 6 | 5:ok 6:ok 7:ok | D5 D6 R5 D7 | 7 | 5",
			"the one that served last, not the highest number | 3:ok 4:ok 5:ok | D3 D4 R3 D5 | 5 | 3",
			"UPDATE_COMPLETE counts, as in retirement | 1:up 2:ok | D1 D2 | 2 | 1",
			"a failed stack is no way back | 1:ok 2:failed 3:ok | D1 F2 D3 | 3 | 1",
			"never served: no way back | 1:ok 2:ok | D2 | 2 | -",
			"made outside the service: no way back | 1:ok 2:ok | D2 | 2 | -",
			"second rollback in a row goes one further back | 1:ok 2:ok 3:ok | D1 D2 D3 R2 | 2 | 1",
			"third rollback in a row: nothing left | 1:ok 2:ok 3:ok | D1 D2 D3 R2 R1 | 1 | -" })
	void findsTheWayBack(String title, String stacks, String history, String serving, String expected) {
		assertThat(StackRetention.wayBack(stacks(stacks), served(history), PREFIX + serving)
			.map((ref) -> ref.name().substring(PREFIX.length()))
			.orElse("-")).isEqualTo(expected);
	}

	/**
	 * The story, step by step through plan and way back together: deploy 5,
	 * deploy 6, roll back to 5, deploy 7, roll back: it lands on 5, the last good build.
	 */
	@Test
	void deployDeployRollbackDeployRollbackEndsOnTheLastGoodBuild() {
		List<StackState> heat = new ArrayList<>(stacks("5:ok 6:ok"));
		String history = "D5 D6";
		assertThat(StackRetention.wayBack(heat, served(history), PREFIX + "6")).contains(ref(5));
		history += " R5";
		heat.add(stack("7:ok"));
		List<Decision> plan = StackRetention.plan(heat, served(history), recorded(history), PREFIX, PREFIX + "7", 1);
		assertThat(numbers(plan, false)).isEqualTo("6");
		heat.removeIf((stack) -> stack.ref().name().equals(PREFIX + "6"));
		history += " D7";
		assertThat(StackRetention.wayBack(heat, served(history), PREFIX + "7")).contains(ref(5));
	}

	static List<StackState> stacks(String text) {
		return Arrays.stream(text.split(" ")).map(StackRetentionTest::stack).toList();
	}

	static StackState stack(String item) {
		String[] parts = item.split(":");
		StackStatus status = switch (parts[1]) {
			case "ok" -> StackStatus.CREATE_COMPLETE;
			case "up" -> StackStatus.UPDATE_COMPLETE;
			case "failed" -> StackStatus.CREATE_FAILED;
			case "deleting" -> StackStatus.DELETE_IN_PROGRESS;
			default -> throw new IllegalArgumentException(item);
		};
		return new StackState(ref(Integer.parseInt(parts[0])), status, null, java.util.Map.of(), List.of());
	}

	static StackRef ref(int number) {
		return new StackRef(PREFIX + number, "id-" + number);
	}

	static List<Served> served(String history) {
		List<Served> served = new ArrayList<>();
		if (history.equals("-")) {
			return served;
		}
		Instant at = Instant.parse("2026-11-01T00:00:00Z");
		for (String event : history.split(" ")) {
			at = at.plusSeconds(3600);
			if (event.charAt(0) != 'F') {
				served.add(new Served(PREFIX + event.substring(1), event.charAt(0) == 'R', at));
			}
		}
		return served;
	}

	static Set<String> recorded(String history) {
		return history.equals("-") ? Set.of()
				: Arrays.stream(history.split(" "))
					.map((event) -> PREFIX + event.substring(1))
					.collect(Collectors.toSet());
	}

	static String numbers(List<Decision> plan, boolean kept) {
		String numbers = plan.stream()
			.filter((decision) -> decision.keep() == kept)
			.map((decision) -> Integer.valueOf(decision.ref().name().substring(PREFIX.length())))
			.collect(Collectors.toCollection(java.util.TreeSet::new))
			.stream()
			.map(String::valueOf)
			.collect(Collectors.joining(" "));
		return numbers.isEmpty() ? "-" : numbers;
	}

}
