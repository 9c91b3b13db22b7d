package au.edu.unimelb.reporting.ops.security;

import au.edu.unimelb.reporting.ops.config.SecretGuard;
import org.camunda.bpm.engine.ProcessEngineException;
import org.camunda.bpm.engine.impl.variable.serializer.TypedValueSerializer;
import org.camunda.bpm.engine.impl.variable.serializer.ValueFields;
import org.camunda.bpm.engine.variable.impl.value.UntypedValueImpl;
import org.camunda.bpm.engine.variable.type.ValueType;
import org.camunda.bpm.engine.variable.value.TypedValue;

/**
 * A variable serializer that the engine asks first for every string variable, from any
 * source (a delegate, a REST call, a form). It claims only strings that carry a
 * configured secret and refuses to write them, so the transaction that tried rolls back
 * and no secret reaches {@code ACT_RU_VARIABLE} or the history tables.
 */
class SecretRejectingSerializer implements TypedValueSerializer<TypedValue> {

	static final String NAME = "ops-secret-guard";

	private final SecretGuard guard;

	SecretRejectingSerializer(SecretGuard guard) {
		this.guard = guard;
	}

	@Override
	public String getName() {
		return NAME;
	}

	@Override
	public ValueType getType() {
		return ValueType.STRING;
	}

	@Override
	public boolean canHandle(TypedValue value) {
		return value.getValue() instanceof String text && this.guard.carriesSecret(text);
	}

	@Override
	public void writeValue(TypedValue value, ValueFields valueFields) {
		throw new ProcessEngineException("Refused to store variable '" + valueFields.getName()
				+ "': its value carries a configured secret. Secrets stay in the service's settings.");
	}

	@Override
	public TypedValue readValue(ValueFields valueFields, boolean deserializeValue, boolean isTransient) {
		throw new IllegalStateException("No variable is ever stored by " + NAME);
	}

	@Override
	public TypedValue convertToTypedValue(UntypedValueImpl untypedValue) {
		return untypedValue;
	}

	@Override
	public String getSerializationDataformat() {
		return null;
	}

	@Override
	public boolean isMutableValue(TypedValue typedValue) {
		return false;
	}

}
