package io.github.supervision.benchmarks;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

/**
 * Timed samples of one operation, with the median and percentiles that the benchmark
 * harnesses print.
 *
 * @author Supervision contributors
 */
public final class Samples {

	private final String label;

	private final List<Long> nanos = new ArrayList<>();

	private Samples(String label) {
		this.label = label;
	}

	/**
	 * Time an operation a number of times after a warm-up.
	 * @param label what is timed
	 * @param warmup runs that are not counted
	 * @param runs runs that are counted
	 * @param operation the operation
	 * @return the samples
	 * @throws Exception if the operation fails
	 */
	public static Samples time(String label, int warmup, int runs, Callable<?> operation) throws Exception {
		for (int i = 0; i < warmup; i++) {
			operation.call();
		}
		Samples samples = new Samples(label);
		for (int i = 0; i < runs; i++) {
			long start = System.nanoTime();
			operation.call();
			samples.nanos.add(System.nanoTime() - start);
		}
		return samples;
	}

	/**
	 * Wrap samples measured elsewhere.
	 * @param label what was timed
	 * @param nanos the durations in nanoseconds
	 * @return the samples
	 */
	public static Samples of(String label, List<Long> nanos) {
		Samples samples = new Samples(label);
		samples.nanos.addAll(nanos);
		return samples;
	}

	/**
	 * Return the median in milliseconds.
	 * @return the median
	 */
	public double medianMillis() {
		return percentileMillis(50);
	}

	/**
	 * Return a percentile in milliseconds.
	 * @param percentile the percentile, 0 to 100
	 * @return its value
	 */
	public double percentileMillis(int percentile) {
		List<Long> sorted = new ArrayList<>(this.nanos);
		Collections.sort(sorted);
		int index = (int) Math.min(sorted.size() - 1, Math.round(percentile / 100.0 * (sorted.size() - 1)));
		return sorted.get(index) / 1_000_000.0;
	}

	/**
	 * Return a line that reports the samples.
	 * @return the report line
	 */
	public String report() {
		return String.format(Locale.ROOT, "%-48s n=%-4d median=%9.3f ms  p90=%9.3f ms  min=%9.3f ms", this.label,
				this.nanos.size(), medianMillis(), percentileMillis(90), percentileMillis(0));
	}

	/**
	 * Return a line that reports the median and the tail (p99) of the samples.
	 * @return the report line
	 */
	public String tailReport() {
		return String.format(Locale.ROOT, "%-48s n=%-6d median=%9.3f ms  p99=%9.3f ms  p99/median=%5.2f", this.label,
				this.nanos.size(), medianMillis(), percentileMillis(99), percentileMillis(99) / medianMillis());
	}

	/**
	 * Return a line that compares two medians.
	 * @param ours our samples
	 * @param theirs the reference samples
	 * @return the comparison line
	 */
	public static String ratio(Samples ours, Samples theirs) {
		return String.format(Locale.ROOT, "ratio %s / %s = %.3f", ours.label, theirs.label,
				ours.medianMillis() / theirs.medianMillis());
	}

}
