package io.github.supervision.benchmarks.scale;

import java.util.concurrent.Callable;

/**
 * One operation that a scale round times: ours or a native tool's.
 *
 * @param label what is timed, as printed
 * @param call the operation
 * @author Supervision contributors
 */
record Operation(String label, Callable<?> call) {

}
