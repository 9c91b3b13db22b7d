package au.edu.unimelb.reporting.ops.heat;

import java.nio.file.Path;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Where the HOT templates come from ({@code ops.heat.*}).
 *
 * @param directory a folder with the templates (a copy of the repository's
 * {@code heat/}), read at every stack create; when not set, the templates packaged in the
 * jar
 */
@Validated
@ConfigurationProperties("ops.heat")
public record HeatSettings(Path directory) {
}
