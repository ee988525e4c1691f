-- Stand-in for NeuroCoreX's fifo_generator_0 (input spike FIFO in
-- uart_rx_sorter_input.vhd): common clock, block RAM, first-word fall-through,
-- 24 bits x 1024, synchronous reset, full/almost_full/empty/almost_empty.
-- Behaviour and modelling choices: ncx_sync_fifo.vhd.
library ieee;
use ieee.std_logic_1164.all;

entity fifo_generator_0 is
  port (
    clk          : in  std_logic;
    wr_en        : in  std_logic;
    din          : in  std_logic_vector(23 downto 0);
    full         : out std_logic;
    almost_full  : out std_logic;
    rd_en        : in  std_logic;
    dout         : out std_logic_vector(23 downto 0);
    empty        : out std_logic;
    almost_empty : out std_logic;
    srst         : in  std_logic
  );
end entity fifo_generator_0;

architecture behavioural of fifo_generator_0 is
begin
  fifo : entity work.ncx_sync_fifo
    generic map (WIDTH => 24, DEPTH => 1024, FWFT => true)
    port map (clk => clk, srst => srst, din => din, wr_en => wr_en, rd_en => rd_en, dout => dout,
              full => full, almost_full => almost_full, empty => empty, almost_empty => almost_empty);
end architecture behavioural;
