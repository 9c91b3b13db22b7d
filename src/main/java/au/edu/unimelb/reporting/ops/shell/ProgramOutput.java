package au.edu.unimelb.reporting.ops.shell;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * A program's standard output and error, each drained on a thread of its own while the
 * program runs (a full pipe would stop it), of which the last {@link #KEEP_BYTES} bytes
 * are kept.
 */
final class ProgramOutput {

	static final int KEEP_BYTES = 1 << 20;

	private final ExecutorService drains = Executors.newCachedThreadPool((runnable) -> {
		Thread thread = new Thread(runnable, "command-output");
		thread.setDaemon(true);
		return thread;
	});

	/** Starts draining a stream; the future holds its tail. */
	Future<byte[]> drain(InputStream in) {
		return this.drains.submit(() -> tail(in));
	}

	/** The drained tail as text, once the stream ended (waiting at most 10 s). */
	static String text(Future<byte[]> output) {
		try {
			return new String(output.get(10, TimeUnit.SECONDS), StandardCharsets.UTF_8);
		}
		catch (ExecutionException | TimeoutException ex) {
			return "(output not read: " + ex.getClass().getSimpleName() + ")";
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return "";
		}
	}

	/** Reads a stream to its end, keeping its last {@link #KEEP_BYTES} bytes. */
	static byte[] tail(InputStream in) {
		byte[] buffer = new byte[8192];
		ByteArrayOutputStream kept = new ByteArrayOutputStream();
		try (in) {
			int read;
			while ((read = in.read(buffer)) != -1) {
				kept.write(buffer, 0, read);
				if (kept.size() > 2 * KEEP_BYTES) {
					byte[] all = kept.toByteArray();
					kept.reset();
					kept.write(all, all.length - KEEP_BYTES, KEEP_BYTES);
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		byte[] all = kept.toByteArray();
		if (all.length <= KEEP_BYTES) {
			return all;
		}
		byte[] last = new byte[KEEP_BYTES];
		System.arraycopy(all, all.length - KEEP_BYTES, last, 0, KEEP_BYTES);
		return last;
	}

}
