package io.github.supervision.benchmarks.scale;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.github.supervision.benchmarks.Samples;

/**
 * Times operations in alternating rounds, so that ours and the native tools see the same
 * load on a shared machine: each round runs every operation a few times in turn, and a
 * ratio is the median of the rounds' ratios.
 *
 * @author Supervision contributors
 */
final class Rounds {

	private static final Duration WARMUP = Duration.ofSeconds(3);

	private static final int WARMUP_CALLS = 300;

	private static final int MAX_CALLS_PER_ROUND = 20;

	private final Map<String, List<Long>> nanos = new LinkedHashMap<>();

	private final Map<String, List<Double>> roundMedians = new LinkedHashMap<>();

	private Rounds() {
	}

	/**
	 * Warm every operation up, then time them in alternating rounds. An operation runs as
	 * many times in a round as fit in the budget (at least once, at most 20).
	 * @param operations the operations, in the order each round runs them
	 * @param rounds how many rounds
	 * @param budget about how long one operation may take per round
	 * @return the timings
	 * @throws Exception if an operation fails
	 */
	static Rounds run(List<Operation> operations, int rounds, Duration budget) throws Exception {
		Rounds result = new Rounds();
		Map<String, Integer> calls = new LinkedHashMap<>();
		for (Operation operation : operations) {
			long typical = warmUp(operation);
			calls.put(operation.label(),
					(int) Math.max(1, Math.min(MAX_CALLS_PER_ROUND, budget.toNanos() / Math.max(1, typical))));
			result.nanos.put(operation.label(), new ArrayList<>());
			result.roundMedians.put(operation.label(), new ArrayList<>());
		}
		for (int round = 0; round < rounds; round++) {
			for (Operation operation : operations) {
				List<Long> these = new ArrayList<>();
				for (int i = 0; i < calls.get(operation.label()); i++) {
					long start = System.nanoTime();
					operation.call().call();
					these.add(System.nanoTime() - start);
				}
				result.nanos.get(operation.label()).addAll(these);
				result.roundMedians.get(operation.label()).add(Samples.of(operation.label(), these).medianMillis());
			}
		}
		return result;
	}

	// Calls the operation for a few seconds (at least twice) and returns the median of
	// the later half of the calls, in nanoseconds
	private static long warmUp(Operation operation) throws Exception {
		List<Long> durations = new ArrayList<>();
		long deadline = System.nanoTime() + WARMUP.toNanos();
		while (durations.size() < 2 || (durations.size() < WARMUP_CALLS && System.nanoTime() - deadline < 0)) {
			long start = System.nanoTime();
			operation.call().call();
			durations.add(System.nanoTime() - start);
		}
		List<Long> later = new ArrayList<>(durations.subList(durations.size() / 2, durations.size()));
		later.sort(null);
		return later.get(later.size() / 2);
	}

	/**
	 * Return every timed call of an operation.
	 * @param label the operation's label
	 * @return the samples
	 */
	Samples samples(String label) {
		return Samples.of(label, this.nanos.get(label));
	}

	/**
	 * Return the median over the rounds of the ratio of two operations' round medians.
	 * @param ours our operation's label
	 * @param theirs the reference's label
	 * @return the ratio
	 */
	double ratio(String ours, String theirs) {
		List<Double> a = this.roundMedians.get(ours);
		List<Double> b = this.roundMedians.get(theirs);
		List<Double> ratios = new ArrayList<>();
		for (int i = 0; i < a.size(); i++) {
			ratios.add(a.get(i) / b.get(i));
		}
		ratios.sort(null);
		return ratios.get(ratios.size() / 2);
	}

	/**
	 * Return the labels of the timed operations, in order.
	 * @return the labels
	 */
	List<String> labels() {
		return List.copyOf(this.nanos.keySet());
	}

	/**
	 * Return a line that reports an operation: count, median, p90, p99 and min.
	 * @param label the operation's label
	 * @return the line
	 */
	String report(String label) {
		Samples samples = samples(label);
		return String.format(Locale.ROOT, "%-58s n=%-4d median=%10.3f ms  p90=%10.3f ms  p99=%10.3f ms  min=%10.3f ms",
				label, this.nanos.get(label).size(), samples.medianMillis(), samples.percentileMillis(90),
				samples.percentileMillis(99), samples.percentileMillis(0));
	}

}
