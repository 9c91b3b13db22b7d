package au.edu.unimelb.reporting.ops.heat;

/**
 * A stack by name and id; Heat addresses a stack reliably only by both
 * ({@code /stacks/{name}/{id}}).
 *
 * @param name the stack name ({@code reporting_prod_42})
 * @param id Heat's id of the stack
 */
public record StackRef(String name, String id) {
}
