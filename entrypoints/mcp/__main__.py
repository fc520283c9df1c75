from entrypoints.mcp.stdio import main

main()
