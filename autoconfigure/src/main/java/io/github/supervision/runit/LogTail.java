package io.github.supervision.runit;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads the last lines of a log file from its end, without reading the whole file.
 *
 * @author Supervision contributors
 */
final class LogTail {

	private static final int CHUNK = 8192;

	private LogTail() {
	}

	/**
	 * Return the last lines of a file.
	 * @param file the file
	 * @param lines the most lines to return
	 * @param maxBytes the most bytes to read from the end
	 * @return the lines, oldest first, without line ends
	 * @throws IOException if the file cannot be read
	 */
	static List<String> lastLines(RandomAccessFile file, int lines, int maxBytes) throws IOException {
		if (lines == 0) {
			return List.of();
		}
		long length = file.length();
		long start = length;
		int newlines = 0;
		byte[] chunk = new byte[CHUNK];
		// Count line ends from the end until there is one more than the lines wanted
		// (the last byte is usually a line end itself)
		while (start > 0 && length - start < maxBytes && newlines <= lines) {
			int size = (int) Math.min(CHUNK, start);
			start -= size;
			file.seek(start);
			file.readFully(chunk, 0, size);
			for (int i = 0; i < size; i++) {
				if (chunk[i] == '\n') {
					newlines++;
				}
			}
		}
		int size = (int) Math.min(length - start, maxBytes);
		long from = length - size;
		byte[] tail = new byte[size];
		file.seek(from);
		file.readFully(tail);
		boolean cut = false;
		if (from > 0) {
			file.seek(from - 1);
			cut = file.read() != '\n';
		}
		String text = new String(tail, StandardCharsets.UTF_8);
		List<String> all = new ArrayList<>(Arrays.asList(text.split("\n", -1)));
		if (!all.isEmpty() && all.get(all.size() - 1).isEmpty()) {
			all.remove(all.size() - 1);
		}
		if (cut && !all.isEmpty()) {
			// The first line is only the end of a line: drop it
			all.remove(0);
		}
		return List.copyOf(all.subList(Math.max(0, all.size() - lines), all.size()));
	}

}
