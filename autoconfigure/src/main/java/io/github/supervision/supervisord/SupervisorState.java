package io.github.supervision.supervisord;

/**
 * supervisord's own state, as {@code getState} returns it.
 *
 * @param statecode the state's code, such as {@code 1} for {@code RUNNING}
 * @param statename the state's name: {@code FATAL}, {@code RUNNING}, {@code RESTARTING}
 * or {@code SHUTDOWN}
 */
public record SupervisorState(int statecode, String statename) {

}
