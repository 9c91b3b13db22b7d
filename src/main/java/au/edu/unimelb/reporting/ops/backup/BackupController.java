package au.edu.unimelb.reporting.ops.backup;

import java.util.List;

import au.edu.unimelb.reporting.ops.nightly.BackupRecords;
import au.edu.unimelb.reporting.ops.nightly.BackupRecords.BackupRun;
import au.edu.unimelb.reporting.ops.nightly.BackupRecords.BackupSetRecord;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * The backup and restore records, read-only ({@code GET /api/backups}): how each night
 * went, which sets each tier got, and which backup QA was restored from. Needs the same
 * basic authentication as the engine's REST API.
 */
@RestController
@RequestMapping("/api/backups")
class BackupController {

	private final BackupRecords records;

	BackupController(BackupRecords records) {
		this.records = records;
	}

	/**
	 * @param kind {@code BACKUP} or {@code RESTORE}
	 * @param limit at most this many (1 to 500), newest first
	 */
	@GetMapping
	List<RunWithSets> latest(@RequestParam(defaultValue = "BACKUP") String kind,
			@RequestParam(defaultValue = "20") int limit) {
		if (!kind.equals("BACKUP") && !kind.equals(BackupRecords.RESTORE)) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "kind must be BACKUP or RESTORE");
		}
		if (limit < 1 || limit > 500) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "limit must be between 1 and 500");
		}
		return this.records.latest(kind, limit).stream().map(this::withSets).toList();
	}

	@GetMapping("/{id}")
	RunWithSets one(@PathVariable String id) {
		return this.records.run(id)
			.map(this::withSets)
			.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No backup or restore run " + id));
	}

	private RunWithSets withSets(BackupRun run) {
		return new RunWithSets(run, this.records.setsOfRun(run.id()));
	}

	/**
	 * One run and the sets it uploaded.
	 *
	 * @param run the run
	 * @param sets its sets, one per tier it uploaded to
	 */
	record RunWithSets(BackupRun run, List<BackupSetRecord> sets) {
	}

}
