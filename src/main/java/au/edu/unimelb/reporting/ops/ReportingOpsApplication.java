package au.edu.unimelb.reporting.ops;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The reporting application's deploy, backup and QA-mirror service: Spring Boot with an
 * embedded Camunda 7 engine whose BPMN models (under {@code processes/}) are the control
 * flow.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class ReportingOpsApplication {

	public static void main(String[] args) {
		SpringApplication.run(ReportingOpsApplication.class, args);
	}

}
