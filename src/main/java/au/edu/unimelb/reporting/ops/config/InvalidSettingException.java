package au.edu.unimelb.reporting.ops.config;

/**
 * A setting that binds but makes no sense together with the others (for example a
 * password that the {@code prod} profile requires). The start fails with one line naming
 * the setting.
 */
public class InvalidSettingException extends RuntimeException {

	private final String setting;

	/**
	 * @param setting the setting's full name, as in {@code application.yml}
	 * ({@code ops.security.admin-password})
	 * @param reason what is wrong, as the end of a sentence
	 * ({@code is required in the prod profile})
	 */
	public InvalidSettingException(String setting, String reason) {
		super("Setting " + setting + " " + reason);
		this.setting = setting;
	}

	public String getSetting() {
		return this.setting;
	}

}
