package io.github.supervision.testsupport;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;

/**
 * Writes a jar that holds only a manifest: its {@code Main-Class} and a
 * {@code Class-Path} of the test class path, so that {@code java -jar that.jar} runs a
 * test application the way an application jar runs, without repackaging anything.
 *
 * @author Supervision contributors
 */
public final class ClassPathJar {

	private ClassPathJar() {
	}

	/**
	 * Write a launcher jar for a main class on this JVM's class path.
	 * @param jar where to write it
	 * @param mainClass the main class
	 * @return the jar
	 * @throws IOException if it cannot be written
	 */
	public static Path write(Path jar, Class<?> mainClass) throws IOException {
		List<Path> classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
			.filter((entry) -> !entry.isEmpty())
			.map((entry) -> Path.of(entry).toAbsolutePath())
			.toList();
		Manifest manifest = new Manifest();
		Attributes attributes = manifest.getMainAttributes();
		attributes.put(Attributes.Name.MANIFEST_VERSION, "1.0");
		attributes.put(Attributes.Name.MAIN_CLASS, mainClass.getName());
		attributes.put(Attributes.Name.CLASS_PATH,
				classPath.stream().map((entry) -> entry.toUri().toString()).collect(Collectors.joining(" ")));
		Files.createDirectories(jar.toAbsolutePath().getParent());
		try (OutputStream out = Files.newOutputStream(jar);
				JarOutputStream jarOut = new JarOutputStream(out, manifest)) {
			jarOut.flush();
		}
		return jar.toAbsolutePath();
	}

}
