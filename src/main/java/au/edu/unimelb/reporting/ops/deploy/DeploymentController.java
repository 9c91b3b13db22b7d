package au.edu.unimelb.reporting.ops.deploy;

import java.util.List;

import au.edu.unimelb.reporting.ops.config.EnvironmentsSettings;

import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * What runs where: the deployment records, read-only, for people and Jenkins
 * ({@code GET /api/deployments}). Needs the same basic authentication as the engine's
 * REST API.
 */
@RestController
@RequestMapping("/api/deployments")
class DeploymentController {

	private final DeploymentRecords records;

	DeploymentController(DeploymentRecords records) {
		this.records = records;
	}

	/**
	 * @param environment {@code qa} or {@code prod}, or none for both
	 * @param limit at most this many (1 to 500), newest first
	 */
	@GetMapping
	List<DeploymentRecord> latest(@RequestParam(required = false) String environment,
			@RequestParam(defaultValue = "20") int limit) {
		if (environment != null && !EnvironmentsSettings.NAMES.contains(environment)) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "environment must be qa or prod");
		}
		if (limit < 1 || limit > 500) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "limit must be between 1 and 500");
		}
		return this.records.latest(environment, limit);
	}

	@GetMapping("/{id}")
	DeploymentRecord one(@PathVariable String id) {
		return this.records.find(id)
			.orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "No deployment " + id));
	}

}
