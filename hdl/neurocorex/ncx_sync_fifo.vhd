-- Common-clock block-RAM FIFO with the behaviour of the Vivado FIFO Generator
-- configurations NeuroCoreX uses; fifo_generator_0/1/2 wrap it with their
-- exact ports. Modelling choices (also in docs/neurocorex.md, "Running ORNL's VHDL"):
--
-- * Standard read mode (FWFT = false): rd_en on a non-empty FIFO puts the
--   oldest word on dout after the next rising edge (one cycle of latency);
--   dout holds its value otherwise. A write to an empty FIFO clears empty at
--   the same edge, so the word can be read in the next cycle.
-- * First-word fall-through (FWFT = true): the oldest word waits on dout with
--   empty low; rd_en consumes it. A word written to an empty FIFO reaches dout
--   one edge after it is written (empty deasserts two edges after wr_en was
--   sampled), the extra latency of the FWFT output stage.
-- * Capacity is exactly DEPTH words; full asserts at DEPTH, almost_full at
--   DEPTH-1, almost_empty when at most one word is left. Writes while full and
--   reads while empty are ignored (overflow and underflow leave the contents
--   and dout unchanged), as in the core without its optional error ports.
-- * srst is synchronous and empties the FIFO; dout resets to zero (the core's
--   default dout reset value). NeuroCoreX ties every srst to '0', so the
--   core's reset-time flag behaviour (full held high around reset) does not
--   arise and is not modelled. After configuration the FIFO is empty.
library ieee;
use ieee.std_logic_1164.all;

entity ncx_sync_fifo is
  generic (
    WIDTH : positive;
    DEPTH : positive;
    FWFT  : boolean
  );
  port (
    clk          : in  std_logic;
    srst         : in  std_logic;
    din          : in  std_logic_vector(WIDTH-1 downto 0);
    wr_en        : in  std_logic;
    rd_en        : in  std_logic;
    dout         : out std_logic_vector(WIDTH-1 downto 0);
    full         : out std_logic;
    almost_full  : out std_logic;
    empty        : out std_logic;
    almost_empty : out std_logic
  );
end entity ncx_sync_fifo;

architecture behavioural of ncx_sync_fifo is
begin
  process (clk)
    type mem_t is array (0 to DEPTH-1) of std_logic_vector(WIDTH-1 downto 0);
    variable mem   : mem_t;
    variable rd    : natural range 0 to DEPTH-1 := 0;
    variable wr    : natural range 0 to DEPTH-1 := 0;
    variable count : natural range 0 to DEPTH := 0; -- words in mem
    variable ovalid : boolean := false;              -- FWFT output stage holds a word
    variable o     : std_logic_vector(WIDTH-1 downto 0) := (others => '0');
    variable total : natural range 0 to DEPTH;
    variable do_wr, do_rd : boolean;
  begin
    if rising_edge(clk) then
      if srst = '1' then
        rd := 0; wr := 0; count := 0; ovalid := false;
        o := (others => '0');
      else
        -- flags seen by the design in this cycle decide what is accepted
        if FWFT then
          total := count + boolean'pos(ovalid);
          do_rd := rd_en = '1' and ovalid;
        else
          total := count;
          do_rd := rd_en = '1' and count > 0;
        end if;
        do_wr := wr_en = '1' and total < DEPTH;
        if FWFT then
          if do_rd then
            ovalid := false;
          end if;
          -- the output stage refills from words already in memory
          if not ovalid and count > 0 then
            o := mem(rd);
            rd := (rd + 1) mod DEPTH;
            count := count - 1;
            ovalid := true;
          end if;
        elsif do_rd then
          o := mem(rd);
          rd := (rd + 1) mod DEPTH;
          count := count - 1;
        end if;
        if do_wr then
          mem(wr) := din;
          wr := (wr + 1) mod DEPTH;
          count := count + 1;
        end if;
      end if;
      if FWFT then
        total := count + boolean'pos(ovalid);
        empty <= '0' when ovalid else '1';
      else
        total := count;
        empty <= '1' when count = 0 else '0';
      end if;
      dout <= o;
      full <= '1' when total = DEPTH else '0';
      almost_full <= '1' when total >= DEPTH - 1 else '0';
      almost_empty <= '1' when total <= 1 else '0';
    end if;
  end process;
end architecture behavioural;
