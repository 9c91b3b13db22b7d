package au.edu.unimelb.reporting.ops.restore;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The tables of a dump are its {@code TABLE DATA} entries; comments and other entries are
 * not tables.
 */
class TableOfContentsTest {

	@Test
	void readsTheTablesOfATableOfContents() {
		String toc = """
				;
				; Archive created at 2026-11-24 01:30:02 AEDT
				;     dbname: reporting
				215; 1259 16390 TABLE public orders reporting
				3340; 0 16390 TABLE DATA public orders reporting
				3341; 0 16395 TABLE DATA audit events reporting
				3100; 2606 16400 CONSTRAINT public orders orders_pkey reporting
				""";

		assertThat(TableOfContents.tablesOf(toc)).containsExactly("audit.events", "public.orders");
	}

}
