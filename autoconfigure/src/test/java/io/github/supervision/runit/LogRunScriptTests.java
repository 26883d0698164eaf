package io.github.supervision.runit;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link LogRunScript}.
 *
 * @author Supervision contributors
 */
class LogRunScriptTests {

	private static final Path LOG = Path.of("/etc/sv/web/log");

	@Test
	void readsSvlogdsDirectoryAndStamps() {
		assertThat(parse("#!/bin/sh\nexec svlogd ./main\n")).isEqualTo(logger("/etc/sv/web/log/main", LogFormat.PLAIN));
		assertThat(parse("#!/bin/sh\nexec svlogd -t main")).isEqualTo(logger("/etc/sv/web/log/main", LogFormat.TAI64N));
		assertThat(parse("exec svlogd -tt ./main")).isEqualTo(logger("/etc/sv/web/log/main", LogFormat.SVLOGD_TT));
		assertThat(parse("exec /usr/bin/svlogd -ttt /var/log/web"))
			.isEqualTo(logger("/var/log/web", LogFormat.SVLOGD_TTT));
		assertThat(parse("exec svlogd -t -t -v -l 80 -b2048 -r _ ../../logs/web"))
			.isEqualTo(logger("/etc/sv/logs/web", LogFormat.SVLOGD_TT));
		assertThat(parse("exec chpst -u log svlogd -tt dir"))
			.isEqualTo(logger("/etc/sv/web/log/dir", LogFormat.SVLOGD_TT));
		assertThat(parse("exec chpst -ulog:adm svlogd -tt 'with space'"))
			.isEqualTo(logger("/etc/sv/web/log/with space", LogFormat.SVLOGD_TT));
		assertThat(parse("exec svlogd -tt ./first ./second"))
			.isEqualTo(logger("/etc/sv/web/log/first", LogFormat.SVLOGD_TT));
	}

	@Test
	void readsMultilogsDirectoryAndStamps() {
		assertThat(parse("#!/bin/sh\nexec multilog t ./main\n"))
			.isEqualTo(logger("/etc/sv/web/log/main", LogFormat.TAI64N));
		assertThat(parse("exec setuidgid log multilog t s1000000 n20 '-*' '+* fatal: *' ./main"))
			.isEqualTo(logger("/etc/sv/web/log/main", LogFormat.TAI64N));
		assertThat(parse("exec multilog s999999 /var/log/x")).isEqualTo(logger("/var/log/x", LogFormat.PLAIN));
	}

	@Test
	void readsS6LogsDirectoryAndStampsOfItsFirstDirectory() {
		assertThat(parse("#!/bin/sh\nexec s6-log -b n20 s1000000 T /var/log/x\n"))
			.isEqualTo(logger("/var/log/x", LogFormat.S6_ISO));
		assertThat(parse("exec s6-log t ./main")).isEqualTo(logger("/etc/sv/web/log/main", LogFormat.S6_TAI64N));
		assertThat(parse("exec s6-log -d 3 -l 2000 t T ./main"))
			.isEqualTo(logger("/etc/sv/web/log/main", LogFormat.S6_TAI64N_ISO));
		// t and T stamp the next action only
		assertThat(parse("exec s6-log t 1 ./main")).isEqualTo(logger("/etc/sv/web/log/main", LogFormat.PLAIN));
		assertThat(parse("#!/bin/execlineb -P\nfdmove -c 2 1\ns6-setuidgid log\ns6-log -- n3 t ./main"))
			.isEqualTo(logger("/etc/sv/web/log/main", LogFormat.S6_TAI64N));
		assertThat(parse("exec s6-log n20 -.*debug.* t ./main")).isNull();
	}

	@Test
	void leavesTheLoggerUnknownWhenTheScriptIsNotCertain() {
		assertThat(parse("")).isNull();
		assertThat(parse("#!/bin/sh\n# exec svlogd -tt ./other\nexec cat > /tmp/x\n")).isNull();
		assertThat(parse("exec svlogd -tt $LOGDIR")).isNull();
		assertThat(parse("exec svlogd -tt \"$LOGDIR\"")).isNull();
		assertThat(parse("exec svlogd -tt `cat dir`")).isNull();
		assertThat(parse("exec svlogd -tt ./main 2>&1")).isNull();
		assertThat(parse("exec svlogd -x ./main")).isNull();
		assertThat(parse("exec svlogd -tt")).isNull();
		assertThat(parse("exec svlogd -tt 'unterminated")).isNull();
		assertThat(parse("exec multilog t")).isNull();
		assertThat(parse("exec multilog t main")).isNull();
		assertThat(parse("exec s6-log -z ./main")).isNull();
		assertThat(parse("exec svlogd -tt ~/log")).isNull();
	}

	@Test
	void joinsContinuedLinesAndSkipsComments() {
		assertThat(parse("#!/bin/sh\nexec 2>&1\nexec chpst -u log \\\n  svlogd -tt \\\n  ./main # the main log\n"))
			.isEqualTo(logger("/etc/sv/web/log/main", LogFormat.SVLOGD_TT));
	}

	private static LogRunScript.Logger parse(String script) {
		return LogRunScript.parse(script, LOG);
	}

	private static LogRunScript.Logger logger(String directory, LogFormat format) {
		return new LogRunScript.Logger(Path.of(directory), format);
	}

}
