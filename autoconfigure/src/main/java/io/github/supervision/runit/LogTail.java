package io.github.supervision.runit;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.util.List;

import io.github.supervision.ServiceLog;

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
	static ServiceLog lastLines(RandomAccessFile file, int lines, int maxBytes) throws IOException {
		if (lines == 0) {
			return new ServiceLog(List.of(), false);
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
		ServiceLog log = ServiceLog.ofText(new String(tail, StandardCharsets.UTF_8), cut, lines);
		return (from > 0 && !log.truncated()) ? new ServiceLog(log.lines(), true) : log;
	}

}
