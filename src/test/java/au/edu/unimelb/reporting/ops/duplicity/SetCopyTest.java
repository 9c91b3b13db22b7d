package au.edu.unimelb.reporting.ops.duplicity;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SetCopyTest {

	static final String TIME = "20260301T143000Z";

	static final java.time.Duration MINUTE = java.time.Duration.ofMinutes(1);

	@Test
	void copiesEverySetFileUnderItsOwnName(@TempDir Path dir) throws Exception {
		Path from = set(dir.resolve("set"));
		Path to = dir.resolve("target/reporting-daily");

		long bytes = SetCopy.copy(from, to, MINUTE);

		assertThat(names(to)).containsExactly("duplicity-full-signatures." + TIME + ".sigtar.gpg",
				"duplicity-full." + TIME + ".manifest.gpg", "duplicity-full." + TIME + ".vol1.difftar.gpg",
				"duplicity-full." + TIME + ".vol2.difftar.gpg");
		assertThat(Files.readString(to.resolve("duplicity-full." + TIME + ".vol2.difftar.gpg"))).isEqualTo("volume 2");
		assertThat(bytes).isEqualTo(8 + 8 + 10 + 8);
		assertThat(Files.readString(from.resolve("duplicity-full." + TIME + ".manifest.gpg"))).isEqualTo("manifest");
	}

	@Test
	void readsTheSetsTimeFromItsManifestsName(@TempDir Path dir) throws Exception {
		assertThat(SetCopy.setTime(set(dir))).isEqualTo(java.time.Instant.parse("2026-03-01T14:30:00Z"));
	}

	@Test
	void aCopyAfterOneCutOffReplacesWhatItLeftAndDeletesItsTemporaryFiles(@TempDir Path dir) throws Exception {
		Path from = set(dir.resolve("set"));
		Path to = Files.createDirectories(dir.resolve("target"));
		Files.writeString(to.resolve("duplicity-full." + TIME + ".vol1.difftar.gpg"), "volume 1");
		Path cutOff = to.resolve(".duplicity-full." + TIME + ".vol2.difftar.gpg.a1b2c3d4.part");
		Files.writeString(cutOff, "volu");
		Files.setLastModifiedTime(cutOff,
				java.nio.file.attribute.FileTime.from(java.time.Instant.now().minusSeconds(600)));
		Files.writeString(to.resolve("duplicity-full.20260201T143000Z.manifest.gpg"), "an older set");

		SetCopy.copy(from, to, MINUTE);

		assertThat(names(to)).noneMatch((name) -> name.endsWith(".part"))
			.contains("duplicity-full." + TIME + ".manifest.gpg", "duplicity-full.20260201T143000Z.manifest.gpg");
	}

	@Test
	void removesOnlyItsOwnTemporaryFiles(@TempDir Path dir) throws Exception {
		Files.writeString(dir.resolve(".duplicity-full." + TIME + ".manifest.gpg.part"), "mani");
		Files.writeString(dir.resolve("duplicity-full." + TIME + ".vol1.difftar.gpg"), "volume 1");
		Files.writeString(dir.resolve("notes.part"), "someone else's");

		SetCopy.removeLeftovers(dir);

		assertThat(names(dir)).containsExactly("duplicity-full." + TIME + ".vol1.difftar.gpg", "notes.part");
	}

	@Test
	void beforeACopyOnlyTemporaryFilesNobodyWritesToAreDeletedAfterItAll(@TempDir Path dir) throws Exception {
		Path to = Files.createDirectories(dir.resolve("target"));
		// another node's copy of the same set, now, and a try cut off ten minutes ago
		Path writing = to.resolve(".duplicity-full." + TIME + ".vol2.difftar.gpg.0f0f0f0f.part");
		Files.writeString(writing, "volu");
		Path cutOff = to.resolve(".duplicity-full." + TIME + ".vol1.difftar.gpg.1e1e1e1e.part");
		Files.writeString(cutOff, "vol");
		Files.setLastModifiedTime(cutOff,
				java.nio.file.attribute.FileTime.from(java.time.Instant.now().minusSeconds(600)));

		SetCopy.removeLeftovers(to, SetCopy.ABANDONED);

		assertThat(writing).exists();
		assertThat(cutOff).doesNotExist();
		SetCopy.copy(set(dir.resolve("set")), to, MINUTE);
		assertThat(names(to)).noneMatch((name) -> name.endsWith(".part"))
			.contains("duplicity-full." + TIME + ".manifest.gpg");
	}

	@Test
	void aCopyOutOfTimeStopsLeavingNoTemporaryFileAndNoManifest(@TempDir Path dir) throws Exception {
		Path from = set(dir.resolve("set"));
		Path to = dir.resolve("target");

		assertThatThrownBy(() -> SetCopy.copy(from, to, java.time.Duration.ZERO))
			.isInstanceOf(java.io.UncheckedIOException.class)
			.hasCauseInstanceOf(java.io.InterruptedIOException.class)
			.hasMessageContaining("not done within 0 s");

		assertThat(names(to)).isEmpty();
	}

	@Test
	void aLinkLeftUnderATemporaryNameIsNeverWrittenThrough(@TempDir Path dir) throws Exception {
		Path from = set(dir.resolve("set"));
		Path to = Files.createDirectories(dir.resolve("target"));
		Path victim = Files.writeString(dir.resolve("victim"), "keep me");
		Files.createSymbolicLink(to.resolve(".duplicity-full." + TIME + ".manifest.gpg.x.part"), victim);

		SetCopy.copy(from, to, MINUTE);

		assertThat(victim).hasContent("keep me");
	}

	@Test
	void aFolderWithoutItsManifestIsNoSetToCopy(@TempDir Path dir) throws Exception {
		Path from = set(dir.resolve("set"));
		Files.delete(from.resolve("duplicity-full." + TIME + ".manifest.gpg"));

		assertThat(SetCopy.holdsOneSet(from)).isFalse();
		assertThat(SetCopy.holdsOneSet(dir.resolve("missing"))).isFalse();
		assertThatThrownBy(() -> SetCopy.copy(from, dir.resolve("target"), MINUTE))
			.isInstanceOf(IllegalStateException.class)
			.hasMessageContaining("0 manifests");
		assertThat(dir.resolve("target")).doesNotExist();
	}

	private static Path set(Path folder) throws Exception {
		Files.createDirectories(folder);
		Files.writeString(folder.resolve("duplicity-full." + TIME + ".vol1.difftar.gpg"), "volume 1");
		Files.writeString(folder.resolve("duplicity-full." + TIME + ".vol2.difftar.gpg"), "volume 2");
		Files.writeString(folder.resolve("duplicity-full-signatures." + TIME + ".sigtar.gpg"), "signatures");
		Files.writeString(folder.resolve("duplicity-full." + TIME + ".manifest.gpg"), "manifest");
		assertThat(SetCopy.holdsOneSet(folder)).isTrue();
		return folder;
	}

	private static java.util.List<String> names(Path folder) throws Exception {
		try (Stream<Path> files = Files.list(folder)) {
			return files.map((file) -> file.getFileName().toString()).sorted().toList();
		}
	}

}
