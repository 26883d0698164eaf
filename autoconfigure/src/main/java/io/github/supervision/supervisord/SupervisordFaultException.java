package io.github.supervision.supervisord;

import io.github.supervision.SupervisionException;

/**
 * Thrown when supervisord answers a call with an XML-RPC fault.
 */
public class SupervisordFaultException extends SupervisionException {

	private static final long serialVersionUID = 1L;

	private final SupervisordFault fault;

	private final int code;

	private final String faultString;

	/**
	 * Create a new exception.
	 * @param code the fault's numeric code
	 * @param faultString supervisord's text for the fault, such as {@code BAD_NAME: web}
	 */
	public SupervisordFaultException(int code, String faultString) {
		super("supervisord answered with fault " + SupervisordFault.of(code).name() + " (" + code + "): "
				+ faultString);
		this.fault = SupervisordFault.of(code);
		this.code = code;
		this.faultString = faultString;
	}

	/**
	 * Return the fault.
	 * @return the fault, {@link SupervisordFault#OTHER} when the code is not known
	 */
	public SupervisordFault getFault() {
		return this.fault;
	}

	/**
	 * Return the fault's numeric code.
	 * @return the code
	 */
	public int getCode() {
		return this.code;
	}

	/**
	 * Return supervisord's text for the fault.
	 * @return the fault string
	 */
	public String getFaultString() {
		return this.faultString;
	}

	/**
	 * Return the fault's name as supervisord spells it.
	 * @return the name, such as {@code SPAWN_ERROR}, or the numeric code when unknown
	 */
	public String getFaultName() {
		return (this.fault != SupervisordFault.OTHER) ? this.fault.name() : Integer.toString(this.code);
	}

}
